import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxClock } from '../shared/clock';
import { sendJson } from '../shared/http';
import { adminError, handleSharedAdmin, readAdminJson, type JsonApiServer } from '../shared/json-api';
import { renderShipment } from './routes';
import type { AdvanceStep, AutoProgression, CarrierState } from './state';
import type { CarrierWebhookDispatcher, CarrierWebhookSettings, ReleaseOrder } from './webhooks';

export interface CarrierAdminTarget {
  api: JsonApiServer;
  state: CarrierState;
  webhooks: CarrierWebhookDispatcher;
  clock: SandboxClock;
  reset(): void;
}

const WEBHOOK_SETTINGS: readonly (keyof CarrierWebhookSettings)[] = [
  'url',
  'secret',
  'duplicates',
  'duplicateDelayMs',
  'outOfOrder',
  'outOfOrderHoldMs',
  'retryDelaysMs',
  'timeoutMs',
];

/**
 * `/_sandbox/*` (same API key as `/v2`):
 * - `GET /health`; `GET|POST|DELETE /faults`; `GET /requests`; `POST /reset`;
 *   `POST /clock/advance` `{ ms }` (ManualClock only);
 * - `GET /shipments`, `POST /shipments/:id/advance` `{ step, description?, location? }` with step
 *   `handover` | `out_for_delivery` | `deliver` | `exception` | `return`;
 * - `GET|POST /progression` `{ handoverAfterMs, outForDeliveryAfterMs, deliverAfterMs }` or
 *   `{ enabled: false }` (automatic progression of labels bought from then on);
 * - `GET /webhooks` (settings without the secret, deliveries, held events), `POST /webhooks`
 *   (any of url, secret, duplicates, duplicateDelayMs, outOfOrder, outOfOrderHoldMs,
 *   retryDelaysMs, timeoutMs), `POST /webhooks/hold`, `POST /webhooks/release`
 *   `{ order?: "emitted" | "reverse" | [eventId…], duplicate? }`, `POST /webhooks/redeliver` `{ eventId }`;
 * - `GET /charges` (labels charged and refunded).
 */
export async function handleCarrierAdmin(
  target: CarrierAdminTarget,
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
  const advance = /^\/shipments\/([A-Za-z0-9_]+)\/advance$/.exec(path);
  if (advance && method === 'POST') {
    const record = target.state.shipments.get(advance[1] ?? '');
    if (!record) return adminError(res, 404, `no shipment ${advance[1]}`);
    try {
      target.state.advance(record, body.step as AdvanceStep, target.clock.now(), {
        ...(typeof body.description === 'string' ? { description: body.description } : {}),
        ...(typeof body.location === 'string' ? { location: body.location } : {}),
      });
    } catch (error) {
      return adminError(res, 409, error);
    }
    return sendJson(res, 200, renderShipment(target.state, record));
  }
  const settings = () => {
    const { secret: _secret, ...rest } = target.webhooks.current();
    return rest;
  };
  if (handleSharedAdmin(target, `${method} ${path}`, body, res)) return;
  switch (`${method} ${path}`) {
    case 'GET /shipments':
      return sendJson(res, 200, {
        shipments: [...target.state.shipments.values()].map((record) => renderShipment(target.state, record)),
      });
    case 'GET /charges':
      return sendJson(res, 200, { charges: target.state.charges });
    case 'GET /progression':
      return sendJson(res, 200, { progression: target.state.currentProgression() });
    case 'POST /progression': {
      if (body.enabled === false) {
        target.state.configureProgression(null);
        return sendJson(res, 200, { progression: null });
      }
      const plan = {
        handoverAfterMs: Number(body.handoverAfterMs),
        outForDeliveryAfterMs: Number(body.outForDeliveryAfterMs),
        deliverAfterMs: Number(body.deliverAfterMs),
      } satisfies AutoProgression;
      if (!Object.values(plan).every((ms) => Number.isFinite(ms) && ms >= 0)) {
        return adminError(
          res,
          400,
          'handoverAfterMs, outForDeliveryAfterMs and deliverAfterMs must be ms ≥ 0',
        );
      }
      target.state.configureProgression(plan);
      return sendJson(res, 200, { progression: plan });
    }
    case 'GET /webhooks':
      return sendJson(res, 200, {
        settings: settings(),
        deliveries: target.webhooks.deliveries,
        held: target.webhooks.held(),
      });
    case 'POST /webhooks': {
      const update = Object.fromEntries(
        Object.entries(body).filter(([key]) => WEBHOOK_SETTINGS.includes(key as never)),
      );
      target.webhooks.configure(update as Partial<CarrierWebhookSettings>);
      return sendJson(res, 200, { settings: settings() });
    }
    case 'POST /webhooks/hold':
      target.webhooks.hold();
      return sendJson(res, 200, { held: target.webhooks.held() });
    case 'POST /webhooks/release':
      return sendJson(res, 200, {
        released: target.webhooks.release({
          ...(body.order !== undefined ? { order: body.order as ReleaseOrder } : {}),
          duplicate: body.duplicate === true,
        }),
      });
    case 'POST /webhooks/redeliver':
      return target.webhooks.redeliver(String(body.eventId))
        ? sendJson(res, 200, { ok: true })
        : adminError(res, 404, `no event ${String(body.eventId)}`);
    default:
      return adminError(res, 404, `unknown sandbox admin endpoint ${method} ${path}`);
  }
}
