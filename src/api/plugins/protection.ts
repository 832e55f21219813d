import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError } from '../../errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route is answered even when the process sheds load (liveness). */
    loadShedding?: false;
  }
}

/**
 * When the process sheds load. Each threshold absent or 0 is not checked; the processes pass
 * the PRESSURE_* variables (defaults: 1000 ms mean event-loop delay, 0.98 utilisation).
 */
export interface PressureOptions {
  /** Mean event-loop delay (ms) over a sample interval above which requests are shed. */
  maxEventLoopDelayMs?: number;
  /** Event-loop utilisation (0..1) over a sample interval above which requests are shed. */
  maxEventLoopUtilization?: number;
  /** V8 heap in use (bytes) above which requests are shed. */
  maxHeapUsedBytes?: number;
  /** Resident set size (bytes) above which requests are shed. */
  maxRssBytes?: number;
  /** How often the measures are taken (ms); default 1000. */
  sampleIntervalMs?: number;
  /** An extra check polled every `healthCheckIntervalMs`; false sheds load (tests). */
  healthCheck?: () => Promise<boolean>;
  healthCheckIntervalMs?: number;
  /** Retry-After of a shed request, in seconds; default 10. */
  retryAfterSeconds?: number;
}

/**
 * What `buildApp` protects itself with. Absent options are off (library callers such as
 * benchmarks and most tests); `npm run api` and `npm run dev` pass the configuration, whose
 * defaults are the production defaults (RATE_LIMIT_PER_MINUTE=600, PRESSURE_*).
 */
export interface ProtectionOptions {
  /** Requests a minute per API key (per IP without a valid key); absent: no rate limit. */
  rateLimitPerMinute?: number;
  /** Browser origins allowed cross-origin; empty or absent: no CORS headers at all. */
  corsAllowedOrigins?: readonly string[];
  pressure?: PressureOptions;
}

/** The CSP of the JSON API: nothing may be loaded, framed or submitted on its behalf. */
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * What protects the process and its callers before any route runs, in this order:
 * 1. load shedding (@fastify/under-pressure): while the event loop is saturated (or memory is
 *    over a limit) every request but /health is answered 503 DEPENDENCY_UNAVAILABLE with
 *    Retry-After, before any work is done;
 * 2. security headers (@fastify/helmet; a strict CSP for the JSON API, Swagger UI's own CSP on
 *    /docs) and CORS (@fastify/cors, only for the configured origins), on every answer,
 *    errors included;
 * 3. the rate limiter (@fastify/rate-limit), returned as a hook for the auth plugin to run once
 *    the caller is identified: keyed by API key id, or by client IP without a valid key. Routes
 *    with `config.rateLimit: false` (webhooks, /health) are exempt.
 */
export async function installProtection(
  app: FastifyInstance,
  options: ProtectionOptions = {},
): Promise<{ rateLimiter: onRequestAsyncHookHandler }> {
  const pressure = options.pressure ?? {};
  const retryAfter = pressure.retryAfterSeconds ?? 10;
  await app.register(underPressure, {
    maxEventLoopDelay: pressure.maxEventLoopDelayMs ?? 0,
    maxEventLoopUtilization: pressure.maxEventLoopUtilization ?? 0,
    // Utilisation over the last sample interval, not since start-up.
    eventLoopUtilizationMode: 'interval',
    maxHeapUsedBytes: pressure.maxHeapUsedBytes ?? 0,
    maxRssBytes: pressure.maxRssBytes ?? 0,
    sampleInterval: pressure.sampleIntervalMs ?? 1000,
    ...(pressure.healthCheck
      ? { healthCheck: pressure.healthCheck, healthCheckInterval: pressure.healthCheckIntervalMs ?? 1000 }
      : {}),
    retryAfter,
    pressureHandler: (request, reply, type, value) => {
      if (request.routeOptions.config.loadShedding === false) return undefined;
      void reply.header('retry-after', String(retryAfter));
      request.log.warn({ pressure: type, value }, 'shedding load');
      return Promise.reject(
        new AppError('DEPENDENCY_UNAVAILABLE', `The server is overloaded (${type}); retry later`),
      );
    },
  });

  await app.register(helmet, {
    contentSecurityPolicy: API_CSP,
    frameguard: { action: 'deny' },
  });

  const origins = options.corsAllowedOrigins ?? [];
  if (origins.length > 0) {
    const corsOptions = {
      origin: [...origins],
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
      exposedHeaders: [
        'x-request-id',
        'retry-after',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
        'content-disposition',
      ],
      credentials: false,
      maxAge: 600,
      strictPreflight: false,
    };
    // Routes that answer their own preflight (an OPTIONS route of their own, e.g. the codec
    // endpoint for the Temporal Web UI) keep their own CORS rules.
    let ownCors: Set<string> | undefined;
    const hasOwnCors = (url: string | undefined) => {
      ownCors ??= new Set(
        app.routeAccess.filter((r) => r.method === 'OPTIONS' && r.url !== '*').map((r) => r.url),
      );
      return url !== undefined && ownCors.has(url);
    };
    await app.register(cors, {
      delegator: (request, callback) =>
        callback(null, hasOwnCors(request.routeOptions.url) ? { origin: false } : corsOptions),
    });
  }

  const max = options.rateLimitPerMinute;
  if (max === undefined) return { rateLimiter: async () => undefined };
  await app.register(rateLimit, { global: false });
  const limiter = app.rateLimit({
    max,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `More than ${context.max} requests a minute; retry in ${context.after}`, {
        details: { limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      }),
  });
  const rateLimiter: onRequestAsyncHookHandler = async function (request, reply) {
    if (request.routeOptions.config.rateLimit === false) return;
    await limiter.call(this, request, reply);
  };
  return { rateLimiter };
}

/** The rate-limit bucket of a request: its API key, or its client IP (IPv6 by /64). */
export function rateLimitKey(request: FastifyRequest): string {
  return request.principal ? `key:${request.principal.keyId}` : `ip:${normalizeIP(request.ip)}`;
}

/** Parses CORS_ALLOWED_ORIGINS: comma-separated origins, blanks ignored. */
export function parseOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter(Boolean);
}
