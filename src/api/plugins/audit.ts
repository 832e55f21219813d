import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors';
import { summarizeBody, type AuditAction, type AuditLog, type AuditResult } from '../../infra/audit';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Record every call of an authenticated principal in the audit log (GET /v1/audit): mark every
     * route by which support, finance or admin change something.
     */
    audit?: boolean;
  }
  interface FastifyRequest {
    /** The audit intent written before the handler ran (audited routes only). */
    auditIntentId?: bigint;
    /** What the answer said: error code, or the id of what it created. */
    auditAnswer?: { errorCode?: string; subjectId?: string };
  }
}

export interface AuditPluginOptions {
  /** Called when a result could not be written after every retry (a metric counts it). */
  onWriteFailure?: () => void;
  /** Delays between attempts at writing a result; default 100 ms, 500 ms, 2 s. */
  retryDelaysMs?: readonly number[];
}

/**
 * Writes the audit log for routes with `config.audit: true`, for every request of an
 * authenticated principal, refusals (4xx) included.
 *
 * Durability: a crash between an action and its log must not lose the action, so a request
 * that passed authentication, authorisation, the rate limit and validation writes an *intent*
 * row (who, what, body summary) in preHandler, before the handler acts; if that write fails the
 * request is answered 503 and the handler does not run (no audit, no action). After the answer,
 * onResponse writes the *result* row (status, error code, duration) pointing at the intent,
 * retried with backoff; a result that still cannot be written is logged at error level with the
 * whole entry. A crash after the action leaves the intent without a result: GET /v1/audit shows
 * it with outcome `unknown`, so the action is never invisible. Requests refused before the
 * handler (403, 400, 404 of params, 429, 503 load shedding) did nothing; they write a result
 * only. 401s are not audited (no principal to name; the access log has them).
 */
export function installAudit(app: FastifyInstance, store: AuditLog, options: AuditPluginOptions = {}): void {
  const delays = options.retryDelaysMs ?? [100, 500, 2_000];
  const pending = new Set<Promise<void>>();
  app.decorateRequest('auditIntentId', undefined);
  app.decorateRequest('auditAnswer', undefined);

  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.config.audit || !request.principal) return;
    try {
      request.auditIntentId = await store.recordIntent(actionOf(request));
    } catch (error) {
      request.log.error({ err: error }, 'audit intent could not be written: the action is not run');
      throw new AppError('DEPENDENCY_UNAVAILABLE', 'The audit log cannot be written', { cause: error });
    }
  });

  // The answer's error code, or the id of what a POST created (a settlement run, a key).
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.routeOptions.config.audit || !request.principal) return payload;
    if (typeof payload === 'string' && payload.startsWith('{')) {
      try {
        const body = JSON.parse(payload) as Record<string, unknown>;
        if (reply.statusCode >= 400) {
          const code = (body.error as { code?: unknown } | undefined)?.code;
          request.auditAnswer = typeof code === 'string' ? { errorCode: code } : {};
        } else {
          const id = body.runId ?? body.id ?? body.orderId;
          request.auditAnswer = typeof id === 'string' ? { subjectId: id } : {};
        }
      } catch {
        // not JSON: nothing to learn from it
      }
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!request.routeOptions.config.audit || !request.principal) return;
    const result = resultOf(request, reply);
    const writing = writeWithRetries(store, result, delays).catch((error: unknown) => {
      options.onWriteFailure?.();
      request.log.error(
        { err: error, audit: { ...result, intentId: result.intentId?.toString() } },
        'audit result could not be written',
      );
    });
    pending.add(writing);
    void writing.finally(() => pending.delete(writing));
  });

  // Results still being written finish before the app (and then the database) closes.
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
  });
}

function actionOf(request: FastifyRequest): AuditAction {
  const principal = request.principal!;
  const route = request.routeOptions.url ?? request.url.split('?')[0]!;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const subjectId =
    typeof params.id === 'string'
      ? params.id
      : typeof params.orderId === 'string'
        ? params.orderId
        : undefined;
  const idempotencyKey = request.headers['idempotency-key'];
  return {
    requestId: String(request.id),
    actor: { keyId: principal.keyId, name: principal.name, role: principal.role },
    method: request.method,
    route,
    subjectType: /^\/v1\/([^/]+)/.exec(route)?.[1],
    subjectId,
    idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
    body: summarizeBody(request.body),
  };
}

function resultOf(request: FastifyRequest, reply: FastifyReply): AuditResult {
  const action = actionOf(request);
  return {
    ...action,
    subjectId: action.subjectId ?? request.auditAnswer?.subjectId,
    intentId: request.auditIntentId,
    statusCode: reply.statusCode,
    errorCode: request.auditAnswer?.errorCode,
    durationMs: reply.elapsedTime,
  };
}

async function writeWithRetries(store: AuditLog, result: AuditResult, delays: readonly number[]) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await store.recordResult(result);
      return;
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
