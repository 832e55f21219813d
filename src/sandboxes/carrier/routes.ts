import { requestFingerprint } from '../stripe/idempotency';
import {
  invalidRequest,
  notFound,
  stateError,
  type JsonRequest,
  type JsonResult,
  type JsonRoute,
} from '../shared/json-api';
import { StateError, type CarrierState, type ShipmentRecord } from './state';
import { parseCreateShipment, shipmentToWire } from './wire';

const ID = '([A-Za-z0-9_]+)';

export function renderShipment(state: CarrierState, record: ShipmentRecord): Record<string, unknown> {
  return shipmentToWire(state.view(record), {
    refundStatus: record.refundStatus,
    refundRejectionReason: record.refundRejectionReason,
    messages: record.messages,
    createdAt: new Date(record.createdAtMs).toISOString(),
    trackerId: record.trackerId,
  });
}

/**
 * The carrier's API (EasyPost-shaped):
 * - `POST /v2/shipments` `{ shipment: { reference, from_address, to_address, parcel, customs_info } }`
 *   → 201 with the shipment and its rates, or 200 with the shipment already created under the
 *   same reference and body; 409 `reference_conflict` for the same reference with another body;
 * - `GET /v2/shipments/:id`;
 * - `POST /v2/shipments/:id/buy` `{ rate: { id } }` → the shipment with its `postage_label` and
 *   `tracking_code`; the same rate again returns the same label (charged once); 422
 *   `postage_exists` (another rate), `rate_not_found`, `rate_not_ddp`, `shipment_voided`;
 * - `POST /v2/shipments/:id/refund` → the shipment with `refund_status` `refunded` (before
 *   handover) or `rejected` with `refund_rejection_reason` (after); 422 `no_label`;
 * - `GET /v2/shipments/:id/tracking` → `{ object: 'TrackingEventList', shipment_id, events }`:
 *   every tracking event so far, oldest first, each as its webhook's `result` (same event id),
 *   for a client that missed webhooks.
 */
export function carrierRoutes(state: CarrierState): JsonRoute[] {
  const find = (id: string) => {
    const record = state.shipments.get(id);
    if (!record) throw notFound('shipment', id);
    return record;
  };
  const refuse = (error: unknown): never => {
    if (error instanceof StateError) throw stateError(422, error.code, error.message);
    throw error;
  };

  const create = (request: JsonRequest): JsonResult => {
    const shipment = parseCreateShipment(request.body);
    const fingerprint = requestFingerprint('POST', '/v2/shipments', request.body);
    const existing = state.findByReference(shipment.reference);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw stateError(
          409,
          'reference_conflict',
          `Reference '${shipment.reference}' was already used for shipment ${existing.id} with other content.`,
          { shipment_id: existing.id },
        );
      }
      return { status: 200, body: renderShipment(state, existing) };
    }
    return { status: 201, body: renderShipment(state, state.create(shipment, fingerprint, request.nowMs)) };
  };

  const retrieve = (request: JsonRequest): JsonResult => ({
    status: 200,
    body: renderShipment(state, find(request.pathParams[0] ?? '')),
  });

  const buy = (request: JsonRequest): JsonResult => {
    const body = (request.body ?? {}) as { rate?: { id?: unknown } };
    const rateId = typeof body === 'object' ? body.rate?.id : undefined;
    if (typeof rateId !== 'string' || rateId === '') throw invalidRequest('rate.id is required', 'rate.id');
    const record = find(request.pathParams[0] ?? '');
    try {
      state.buy(record, rateId, request.nowMs);
    } catch (error) {
      refuse(error);
    }
    return { status: 200, body: renderShipment(state, record) };
  };

  const refund = (request: JsonRequest): JsonResult => {
    const record = find(request.pathParams[0] ?? '');
    try {
      state.voidLabel(record, request.nowMs);
    } catch (error) {
      refuse(error);
    }
    return { status: 200, body: renderShipment(state, record) };
  };

  const tracking = (request: JsonRequest): JsonResult => {
    const record = find(request.pathParams[0] ?? '');
    return {
      status: 200,
      body: {
        object: 'TrackingEventList',
        shipment_id: record.id,
        events: record.events.map((e) => ({ ...e })),
      },
    };
  };

  return [
    { method: 'POST', pattern: /^\/v2\/shipments$/, handler: create },
    { method: 'GET', pattern: new RegExp(`^/v2/shipments/${ID}$`), handler: retrieve },
    { method: 'POST', pattern: new RegExp(`^/v2/shipments/${ID}/buy$`), handler: buy },
    { method: 'POST', pattern: new RegExp(`^/v2/shipments/${ID}/refund$`), handler: refund },
    { method: 'GET', pattern: new RegExp(`^/v2/shipments/${ID}/tracking$`), handler: tracking },
  ];
}
