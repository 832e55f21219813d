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

function badResponse(what: string): AppError {
  return new AppError('DEPENDENCY_UNAVAILABLE', `the carrier answered with a malformed shipment (${what})`, {
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
