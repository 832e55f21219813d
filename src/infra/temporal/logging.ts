import { Runtime, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

export interface TemporalRuntimeOptions {
  /**
   * `host:port` of the worker's Prometheus endpoint (GET /metrics, served by the SDK's Core):
   * the SDK's own metrics (`temporal_*`) and those activities emit through their metric meter
   * (the saga step counters). Omitted: no metrics are exported.
   */
  prometheusBindAddress?: string;
}

export interface TemporalRuntimeInstalled {
  /** Where the Prometheus endpoint listens; undefined when not asked for or it could not bind. */
  metricsAddress?: string;
  /** Why the endpoint is not served although asked for (the port in use, say). */
  metricsError?: string;
}

function temporalLogger(logger: Logger): TemporalLogger {
  const child = logger.child({ component: 'temporal' });
  const log = (level: LogLevel, message: string, meta?: LogMetadata) =>
    child[LEVELS[level]](meta ?? {}, message);
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/**
 * Installs the process's Temporal runtime (once per process, before any connection is made):
 * the SDK's logs (worker, workflows, activities) go through the process's pino logger and, when
 * asked for, its metrics to a Prometheus endpoint. A worker whose metrics port is taken (a
 * second worker on the same machine) still starts, without metrics, and says so.
 */
export function installTemporalRuntime(
  logger: Logger,
  options: TemporalRuntimeOptions = {},
): TemporalRuntimeInstalled {
  const sdkLogger = temporalLogger(logger);
  const bindAddress = options.prometheusBindAddress;
  if (bindAddress) {
    try {
      Runtime.install({
        logger: sdkLogger,
        telemetryOptions: { metrics: { prometheus: { bindAddress } } },
      });
      return { metricsAddress: bindAddress };
    } catch (error) {
      // Core refused before installing anything (typically: address already in use).
      if (Runtime._instance !== undefined) throw error;
      const metricsError = error instanceof Error ? error.message : String(error);
      logger.warn(
        { bindAddress, err: metricsError },
        'the worker metrics endpoint could not start; running without it',
      );
      Runtime.install({ logger: sdkLogger });
      return { metricsError };
    }
  }
  Runtime.install({ logger: sdkLogger });
  return {};
}

/** Sends the Temporal SDK's logs (worker, workflows, activities) through the process's pino logger. */
export function installTemporalLogging(logger: Logger): void {
  installTemporalRuntime(logger);
}

/** `host:port` for a bind address, IPv6 hosts in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
