/**
 * OpenTelemetry tracing, on when OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard OTLP variables tune
 * it: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_SCHEDULE_DELAY…): every HTTP request a
 * span, exported over OTLP/HTTP. Imported first by main.ts, before Nest loads `http`, so its requests
 * are instrumented. Each request's span carries its correlation id (`perf_eval.correlation_id`, the one
 * in the logs and the events) and the response names the trace (`x-trace-id`), so a line of the logs,
 * an event and a trace lead to one another.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

export const TRACE_HEADER = 'x-trace-id';
export const CORRELATION_ATTRIBUTE = 'perf_eval.correlation_id';

let sdk: NodeSDK | null = null;

/** Starts tracing when an OTLP endpoint is configured; the health probes are not traced. */
export function startTracing(env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk || !env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return false;
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'perf-eval-api',
    // Batched as OTEL_BSP_* say; OTEL_EXPORTER_OTLP_* say where and how.
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => request.url?.startsWith('/health') ?? false,
      }),
    ],
  });
  sdk.start();
  return true;
}

/** Flushes the spans still buffered (at shutdown). */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = null;
  await running?.shutdown();
}

/**
 * Ties the request's span to its correlation id, and returns the trace id for the response, or null when
 * tracing is off (the API's no-op tracer has no recording span).
 */
export function traceOfRequest(correlationId: string): string | null {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return null;
  span.setAttribute(CORRELATION_ATTRIBUTE, correlationId);
  return span.spanContext().traceId;
}
