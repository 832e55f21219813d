import type * as TracingModule from './tracing';
import type { Tracing, TracingOptions } from './tracing';

export type { Tracing, TracingOptions } from './tracing';

/**
 * Starts OpenTelemetry tracing when OTEL_TRACING is true; otherwise returns undefined and loads
 * nothing OpenTelemetry (./tracing and its packages are required here, on demand).
 */
export function startTracingIfEnabled(
  config: { OTEL_TRACING: boolean; OTEL_EXPORTER_OTLP_ENDPOINT: string },
  serviceName: string,
): Tracing | undefined {
  if (!config.OTEL_TRACING) return undefined;
  return startTracing({ serviceName, endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
}

/** Starts tracing with explicit options (tests: an in-memory exporter). */
export function startTracing(options: TracingOptions): Tracing {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tracing = require('./tracing') as typeof TracingModule;
  return tracing.startTracing(options);
}
