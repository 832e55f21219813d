import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxClock } from '../shared/clock';
import { sendJson } from '../shared/http';
import { adminError, handleSharedAdmin, readAdminJson, type JsonApiServer } from '../shared/json-api';
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
  if (handleSharedAdmin(target, `${method} ${path}`, body, res)) return;
  switch (`${method} ${path}`) {
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
    default:
      return adminError(res, 404, `unknown sandbox admin endpoint ${method} ${path}`);
  }
}
