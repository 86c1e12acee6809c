/**
 * Loaded by main.ts before anything else, so that tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) is
 * in place before Nest and its HTTP server load `http`.
 */
import { startTracing } from './tracing';

startTracing();
