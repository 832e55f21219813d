import type { IncomingMessage, ServerResponse } from 'node:http';
import { isManualClock, type SandboxClock } from '../shared/clock';
import { sendJson } from '../shared/http';
import { adminError, readAdminJson, type JsonApiServer } from '../shared/json-api';
import type { FaultSpec } from '../stripe/faults';
import type { CustomsBrokerState, DecidedStatus, ForcedOutcome, OutcomeControls } from './state';
import { declarationToWire } from './wire';

export interface CustomsAdminTarget {
  api: JsonApiServer;
  state: CustomsBrokerState;
  outcomes: OutcomeControls;
  clock: SandboxClock;
  reset(): void;
}

/**
 * `/_sandbox/*` (same API key as `/v1`), for tests and people in another process:
 * - `GET /health`;
 * - `GET|POST|DELETE /faults` (FaultSpec: `{ kind, times?, delayMs?, method?, path? }`);
 * - `POST /outcomes` `{ status, issues?, delayMs?, reference? }` (without reference: the next
 *   declaration), `GET|DELETE /outcomes`;
 * - `POST /declarations/:id/clear` (goods cleared: voiding is refused from then on),
 *   `POST /declarations/:id/decide` `{ status, issues? }` (answer a pending one now),
 *   `GET /declarations`;
 * - `GET /requests`, `POST /clock/advance` `{ ms }` (ManualClock only), `POST /reset`.
 */
export async function handleCustomsAdmin(
  target: CustomsAdminTarget,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.slice('/_sandbox'.length);
  let body: Record<string, unknown>;
  try {
    body = await readAdminJson(req);
  } catch (error) {
    return adminError(res, 400, error);
  }
  const now = target.clock.now();
  const declaration = /^\/declarations\/([A-Za-z0-9_]+)\/(clear|decide)$/.exec(path);
  if (declaration && method === 'POST') {
    const record = target.state.declarations.get(declaration[1] ?? '');
    if (!record) return adminError(res, 404, `no declaration ${declaration[1]}`);
    try {
      if (declaration[2] === 'clear') target.state.markCleared(record, now);
      else target.state.decide(record, body as unknown as { status: DecidedStatus }, now);
    } catch (error) {
      return adminError(res, 409, error);
    }
    return sendJson(res, 200, declarationToWire(target.state.view(record, now)));
  }
  switch (`${method} ${path}`) {
    case 'GET /health':
      return sendJson(res, 200, { ok: true });
    case 'GET /faults':
      return sendJson(res, 200, {
        pending: target.api.faults.pending(),
        triggered: target.api.faults.triggered,
      });
    case 'POST /faults':
      try {
        return sendJson(res, 201, target.api.faults.inject(body as unknown as FaultSpec));
      } catch (error) {
        return adminError(res, 400, error);
      }
    case 'DELETE /faults':
      target.api.faults.clear();
      return sendJson(res, 200, { pending: [] });
    case 'GET /outcomes':
      return sendJson(res, 200, target.outcomes.pending());
    case 'POST /outcomes':
      try {
        const { reference, ...outcome } = body as unknown as ForcedOutcome & { reference?: string };
        if (typeof reference === 'string') target.outcomes.forceReference(reference, outcome);
        else target.outcomes.forceNext(outcome);
        return sendJson(res, 201, target.outcomes.pending());
      } catch (error) {
        return adminError(res, 400, error);
      }
    case 'DELETE /outcomes':
      target.outcomes.clear();
      return sendJson(res, 200, target.outcomes.pending());
    case 'GET /declarations':
      return sendJson(res, 200, {
        declarations: [...target.state.declarations.values()].map((record) =>
          declarationToWire(target.state.view(record, now)),
        ),
      });
    case 'GET /requests':
      return sendJson(res, 200, { requests: target.api.requests });
    case 'POST /clock/advance':
      if (!isManualClock(target.clock)) {
        return adminError(res, 409, 'the sandbox runs on the system clock; start it with a ManualClock');
      }
      return sendJson(res, 200, { now: new Date(target.clock.advance(Number(body.ms ?? 0))).toISOString() });
    case 'POST /reset':
      target.reset();
      return sendJson(res, 200, { ok: true });
    default:
      return adminError(res, 404, `unknown sandbox admin endpoint ${method} ${path}`);
  }
}
