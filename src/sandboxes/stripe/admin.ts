import type { IncomingMessage, ServerResponse } from 'node:http';
import { isManualClock } from '../shared/clock';
import { readBody, sendJson } from '../shared/http';
import { authenticate } from './auth';
import { StripeApiError } from './errors';
import type { FaultSpec } from './faults';
import { renderBalanceTransaction, renderById } from './render';
import type { StripeSandboxCore } from './server';

/**
 * `/_sandbox/*`: what a test in another process needs (same API key as `/v1`): faults
 * (GET/POST/DELETE /faults), time (POST /clock/advance `{ ms }` with a ManualClock), lapsed
 * authorisations (POST /authorizations/expire), the request log (GET /requests), webhook
 * deliveries (GET/POST /webhooks), every object (GET /objects) and POST /reset.
 */
export async function handleAdmin(
  sandbox: StripeSandboxCore,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  acceptsKey: (key: string) => boolean,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const route = `${method} ${url.pathname.slice('/_sandbox'.length)}`;
  try {
    authenticate(req, acceptsKey);
  } catch (error) {
    if (error instanceof StripeApiError) return sendJson(res, error.status, error.toResponse());
    throw error;
  }
  const body = method === 'POST' ? await readBody(req) : '';
  const json = (): Record<string, unknown> => (body ? (JSON.parse(body) as Record<string, unknown>) : {});
  const nowSeconds = Math.floor(sandbox.clock.now() / 1000);
  switch (route) {
    case 'GET /health':
      return sendJson(res, 200, { ok: true });
    case 'GET /faults':
      return sendJson(res, 200, { pending: sandbox.faults.pending(), triggered: sandbox.faults.triggered });
    case 'POST /faults':
      try {
        return sendJson(res, 201, sandbox.faults.inject(json() as unknown as FaultSpec));
      } catch (error) {
        return sendJson(res, 400, {
          error: { message: error instanceof Error ? error.message : String(error) },
        });
      }
    case 'DELETE /faults':
      sandbox.faults.clear();
      return sendJson(res, 200, { pending: [] });
    case 'POST /clock/advance': {
      if (!isManualClock(sandbox.clock)) {
        return sendJson(res, 409, {
          error: { message: 'the sandbox runs on the system clock; start it with a ManualClock' },
        });
      }
      const ms = Number(json().ms ?? 0);
      return sendJson(res, 200, { now: new Date(sandbox.clock.advance(ms)).toISOString() });
    }
    case 'POST /authorizations/expire':
      return sendJson(res, 200, { expired: sandbox.expireAuthorizations() });
    case 'GET /requests':
      return sendJson(res, 200, { requests: sandbox.requests });
    case 'GET /webhooks':
      return sendJson(res, 200, { url: sandbox.webhooks.url, deliveries: sandbox.webhooks.deliveries });
    case 'POST /webhooks':
      sandbox.webhooks.configure(json() as { url?: string });
      return sendJson(res, 200, { url: sandbox.webhooks.url });
    case 'POST /reset':
      sandbox.reset();
      return sendJson(res, 200, { ok: true });
    case 'GET /objects':
      return sendJson(res, 200, {
        payment_intents: [...sandbox.state.paymentIntents.keys()].map((id) =>
          renderById(sandbox.state, id, nowSeconds),
        ),
        charges: [...sandbox.state.charges.keys()].map((id) => renderById(sandbox.state, id, nowSeconds)),
        refunds: [...sandbox.state.refunds.keys()].map((id) => renderById(sandbox.state, id, nowSeconds)),
        transfers: [...sandbox.state.transfers.keys()].map((id) => renderById(sandbox.state, id, nowSeconds)),
        balance_transactions: sandbox.state.balanceTransactions.map((entry) =>
          renderBalanceTransaction(entry, nowSeconds),
        ),
        events: sandbox.state.events.map((event) => ({
          id: event.id,
          type: event.type,
          created: event.created,
        })),
      });
    default:
      return sendJson(res, 404, { error: { message: `unknown sandbox admin endpoint ${route}` } });
  }
}
