import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES } from '../../access';
import { withErrors } from '../schemas';

/** A dependency the process needs to do its work; ready means every check passes. */
export type ReadinessCheck = () => Promise<void>;

const CheckResult = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  latencyMs: Type.Integer(),
  error: Type.Optional(Type.String()),
});

const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Record(Type.String(), CheckResult),
});

const CHECK_TIMEOUT_MS = 3_000;

export const healthRoutes: FastifyPluginAsyncTypebox<{ checks: Record<string, ReadinessCheck> }> = async (
  app,
  { checks },
) => {
  app.get(
    '/health',
    {
      // Liveness: answered even when the process sheds load, and never rate-limited.
      config: { auth: { public: true }, rateLimit: false, loadShedding: false },
      schema: {
        summary: 'Liveness: the process is up and serving HTTP',
        tags: ['operations'],
        response: withErrors({ 200: Type.Object({ status: Type.Literal('ok') }) }),
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { auth: { roles: ROLES } },
      schema: {
        summary: 'Readiness: PostgreSQL and Temporal answer',
        tags: ['operations'],
        response: withErrors({ 200: ReadyBody, 503: ReadyBody }),
      },
    },
    async (request, reply) => {
      const entries = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check)] as const),
      );
      const ok = entries.every(([, result]) => result.status === 'ok');
      if (!ok) request.log.warn({ checks: Object.fromEntries(entries) }, 'not ready');
      return reply
        .status(ok ? 200 : 503)
        .send({ status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(entries) });
    },
  );
};

async function runCheck(check: ReadinessCheck) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'ok' as const, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'unavailable' as const,
      latencyMs: Math.round(performance.now() - started),
      error: String((error as Error).message ?? error).split('\n')[0]!,
    };
  } finally {
    clearTimeout(timer);
  }
}
