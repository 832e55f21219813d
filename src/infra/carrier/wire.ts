import { AppError } from '../../errors';
import { formatMoney, parseMoney } from '../../domain/money/money';
import type {
  CarrierLabel,
  CarrierRate,
  CarrierShipment,
  CreateShipmentRequest,
  PostalAddressWithName,
  ShipmentStatus,
  VoidLabelResult,
} from '../../domain/shipping/carrier-port';
import { TRACKING_STATUSES, type TrackingEvent, type TrackingStatus } from '../../domain/shipping/tracking';

/**
 * The port's types ↔ the carrier's JSON (EasyPost-shaped: `{ shipment: { … } }`, addresses with
 * street1/zip/state, rates and values as decimal strings with a currency; grams and centimetres).
 */
type Json = Record<string, unknown>;

function addressToWire(address: PostalAddressWithName): Json {
  return {
    name: address.name,
    ...(address.company !== undefined ? { company: address.company } : {}),
    street1: address.line1,
    ...(address.line2 !== undefined ? { street2: address.line2 } : {}),
    city: address.city,
    ...(address.region !== undefined ? { state: address.region } : {}),
    ...(address.postalCode !== undefined ? { zip: address.postalCode } : {}),
    country: address.country,
    ...(address.phone !== undefined ? { phone: address.phone } : {}),
    ...(address.email !== undefined ? { email: address.email } : {}),
  };
}

export function createShipmentToWire(request: CreateShipmentRequest): Json {
  const { parcel, customs } = request;
  return {
    shipment: {
      reference: request.reference,
      from_address: addressToWire(request.from),
      to_address: addressToWire(request.to),
      parcel: {
        weight_grams: parcel.weightGrams,
        ...(parcel.lengthCm !== undefined ? { length_cm: parcel.lengthCm } : {}),
        ...(parcel.widthCm !== undefined ? { width_cm: parcel.widthCm } : {}),
        ...(parcel.heightCm !== undefined ? { height_cm: parcel.heightCm } : {}),
      },
      customs_info: {
        incoterm: customs.incoterm,
        contents_explanation: customs.contents,
        customs_items: customs.items.map((item) => ({
          description: item.description,
          hs_tariff_number: item.hsCode,
          origin_country: item.originCountry,
          quantity: item.quantity,
          value: formatMoney(item.value),
          currency: item.value.currency,
          weight_grams: item.weightGrams,
        })),
      },
    },
  };
}

const STATUSES: readonly ShipmentStatus[] = [
  'created',
  'label_purchased',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
  'label_voided',
];

function badResponse(what: string, answer = 'shipment'): AppError {
  return new AppError('DEPENDENCY_UNAVAILABLE', `the carrier answered with a malformed ${answer} (${what})`, {
    details: { provider: 'carrier', kind: 'bad_response' },
  });
}

function money(amount: unknown, currency: unknown, what: string) {
  try {
    return parseMoney(String(amount), String(currency), what);
  } catch {
    throw badResponse(`${what} ${String(amount)} ${String(currency)}`);
  }
}

function rateFromWire(value: unknown): CarrierRate {
  const rate = (value ?? {}) as Json;
  if (typeof rate.id !== 'string') throw badResponse('a rate without id');
  return {
    rateId: rate.id,
    carrier: String(rate.carrier ?? ''),
    service: String(rate.service ?? ''),
    amount: money(rate.rate, rate.currency, 'rate'),
    deliveryDays: typeof rate.delivery_days === 'number' ? rate.delivery_days : 0,
    deliveryDutiesPaid: rate.delivery_duties_paid === true,
    ...(typeof rate.service_id === 'string' ? { serviceId: rate.service_id } : {}),
  };
}

function labelFromWire(shipment: Json): CarrierLabel | undefined {
  const label = shipment.postage_label as Json | null | undefined;
  if (!label) return undefined;
  if (typeof label.id !== 'string' || typeof shipment.tracking_code !== 'string')
    throw badResponse('a label without id');
  return {
    labelId: label.id,
    trackingNumber: shipment.tracking_code,
    carrier: String(label.carrier ?? ''),
    service: String(label.service ?? ''),
    labelUrl: String(label.label_url ?? ''),
    cost: money(label.cost, label.currency, 'label cost'),
    purchasedAt: String(label.label_date ?? ''),
    ...(typeof label.rate_id === 'string' ? { rateId: label.rate_id } : {}),
  };
}

export function shipmentFromWire(body: unknown): CarrierShipment {
  const shipment = (body ?? {}) as Json;
  if (typeof shipment.id !== 'string' || shipment.id === '') throw badResponse('no id');
  if (!STATUSES.includes(shipment.status as ShipmentStatus))
    throw badResponse(`status ${String(shipment.status)}`);
  const label = labelFromWire(shipment);
  return {
    shipmentId: shipment.id,
    reference: typeof shipment.reference === 'string' ? shipment.reference : '',
    status: shipment.status as ShipmentStatus,
    rates: Array.isArray(shipment.rates) ? shipment.rates.map(rateFromWire) : [],
    ...(label ? { label } : {}),
    ...(typeof shipment.handed_over_at === 'string' ? { handedOverAt: shipment.handed_over_at } : {}),
  };
}

export function labelOf(body: unknown): CarrierLabel {
  const label = labelFromWire((body ?? {}) as Json);
  if (!label) throw badResponse('no postage_label after a purchase');
  return label;
}

export function voidResultFromWire(body: unknown): VoidLabelResult {
  const shipment = (body ?? {}) as Json;
  switch (shipment.refund_status) {
    case 'refunded':
      return { status: 'refunded' };
    case 'submitted':
      return { status: 'submitted' };
    case 'rejected':
      return {
        status: 'rejected',
        reason:
          typeof shipment.refund_rejection_reason === 'string' && shipment.refund_rejection_reason !== ''
            ? shipment.refund_rejection_reason
            : 'the carrier rejected the refund',
      };
    default:
      throw badResponse(`refund_status ${String(shipment.refund_status)}`);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an ISO 8601 time with its offset, or null. */
export function isoTime(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function shortString(value: unknown, max = 255): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/**
 * One tracking event as the carrier sends it (a webhook's `result`, an entry of a shipment's
 * tracking list); `fail` names what is wrong (the field) for the caller's error.
 */
export function trackingEventFromWire(value: unknown, fail: (why: string) => Error): TrackingEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('not an object');
  const r = value as Json;
  if (!shortString(r.eventId)) throw fail('eventId');
  if (!shortString(r.shipmentId)) throw fail('shipmentId');
  if (!shortString(r.reference)) throw fail('reference');
  if (!shortString(r.trackingNumber, 100)) throw fail('trackingNumber');
  if (!(TRACKING_STATUSES as readonly unknown[]).includes(r.status)) throw fail('status');
  if (isoTime(r.occurredAt) === null) throw fail('occurredAt');
  if (typeof r.description !== 'string' || r.description.length > 1000) throw fail('description');
  if (r.location !== undefined && !(typeof r.location === 'string' && r.location.length <= 255)) {
    throw fail('location');
  }
  return {
    eventId: r.eventId,
    shipmentId: r.shipmentId,
    reference: r.reference,
    trackingNumber: r.trackingNumber,
    status: r.status as TrackingStatus,
    occurredAt: r.occurredAt as string,
    description: r.description,
    ...(typeof r.location === 'string' ? { location: r.location } : {}),
  };
}

/** A shipment's tracking list (`GET /v2/shipments/:id/tracking`): its events, oldest first. */
export function trackingEventsFromWire(body: unknown, shipmentId: string): TrackingEvent[] {
  const list = (body ?? {}) as Json;
  const malformed = (why: string) => badResponse(why, 'tracking list');
  if (list.object !== 'TrackingEventList' || !Array.isArray(list.events)) throw malformed('events');
  return list.events.map((event, index) => {
    const parsed = trackingEventFromWire(event, (why) => malformed(`events[${index}].${why}`));
    if (parsed.shipmentId !== shipmentId) throw malformed(`events[${index}].shipmentId`);
    return parsed;
  });
}
