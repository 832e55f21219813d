import pino, { type Logger, type LoggerOptions } from 'pino';
import { LOG_REDACTIONS } from '../api/app';

export type { Logger };

/** pino options shared by every process: JSON lines, secrets redacted. */
export function loggerOptions(level: string, name: string): LoggerOptions {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production' && canPrettyPrint();
  return {
    name,
    level,
    redact: { paths: LOG_REDACTIONS, censor: '[redacted]' },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
}

export function createLogger(level: string, name: string): Logger {
  return pino(loggerOptions(level, name));
}

function canPrettyPrint(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
