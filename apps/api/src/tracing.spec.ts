import { startTracing, traceOfRequest } from './tracing';

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('does not start, and a request has no trace to name', () => {
    expect(startTracing({})).toBe(false);
    expect(startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false);
    expect(traceOfRequest('corr-1')).toBeNull();
  });
});
