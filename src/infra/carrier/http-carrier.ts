import { AppError } from '../../errors';
import type {
  CarrierLabel,
  CarrierPort,
  CarrierShipment,
  CreateShipmentRequest,
  VoidLabelResult,
} from '../../domain/shipping/carrier-port';
import { JsonApiClient, type JsonApiConfig } from '../http/json-api';
import type { TrackingEvent } from '../../domain/shipping/tracking';
import {
  createShipmentToWire,
  labelOf,
  shipmentFromWire,
  trackingEventsFromWire,
  voidResultFromWire,
} from './wire';

export type CarrierConfig = JsonApiConfig;

const ID = /^[A-Za-z0-9_]{1,100}$/;

function checkId(value: string, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new AppError('VALIDATION_FAILED', `${field} must be a carrier id`, { field });
  }
  return value;
}

/**
 * The carrier over HTTP (the sandbox's EasyPost-shaped API; see
 * src/sandboxes/carrier/README.md for what a real EasyPost adapter changes). The API key goes as
 * Basic auth user name, as EasyPost's clients send it. Every mutating call carries an
 * `Idempotency-Key` derived from the business operation: the shipment's reference for its
 * creation, `shipment:<id>:buy:<rateId>` and `shipment:<id>:refund` for the label (the
 * sandbox also refuses a second label at another rate: `postage_exists`). Errors: see
 * src/infra/http/json-api.ts.
 */
export class HttpCarrier implements CarrierPort {
  readonly #client: JsonApiClient;

  constructor(config: CarrierConfig) {
    this.#client = new JsonApiClient('carrier', config, 'basic');
  }

  async createShipment(request: CreateShipmentRequest): Promise<CarrierShipment> {
    if (typeof request.reference !== 'string' || request.reference === '' || request.reference.length > 255) {
      throw new AppError('VALIDATION_FAILED', 'a shipment needs a reference of 1 to 255 characters', {
        field: 'reference',
      });
    }
    const { body } = await this.#client.request({
      method: 'POST',
      path: '/v2/shipments',
      body: createShipmentToWire(request),
      idempotencyKey: request.reference,
      operation: 'create_shipment',
    });
    return shipmentFromWire(body);
  }

  async buyLabel(shipmentId: string, rateId: string): Promise<CarrierLabel> {
    const id = checkId(shipmentId, 'shipmentId');
    const rate = checkId(rateId, 'rateId');
    const { body } = await this.#client.request({
      method: 'POST',
      path: `/v2/shipments/${id}/buy`,
      body: { rate: { id: rate } },
      idempotencyKey: `shipment:${id}:buy:${rate}`,
      operation: 'buy_label',
    });
    return labelOf(body);
  }

  async voidLabel(shipmentId: string): Promise<VoidLabelResult> {
    const id = checkId(shipmentId, 'shipmentId');
    const { body } = await this.#client.request({
      method: 'POST',
      path: `/v2/shipments/${id}/refund`,
      idempotencyKey: `shipment:${id}:refund`,
      operation: 'void_label',
    });
    return voidResultFromWire(body);
  }

  async getShipment(shipmentId: string): Promise<CarrierShipment> {
    const { body } = await this.#client.request({
      method: 'GET',
      path: `/v2/shipments/${checkId(shipmentId, 'shipmentId')}`,
      operation: 'get_shipment',
    });
    return shipmentFromWire(body);
  }

  async trackingEvents(shipmentId: string): Promise<TrackingEvent[]> {
    const id = checkId(shipmentId, 'shipmentId');
    const { body } = await this.#client.request({
      method: 'GET',
      path: `/v2/shipments/${id}/tracking`,
      operation: 'tracking_events',
    });
    return trackingEventsFromWire(body, id);
  }
}
