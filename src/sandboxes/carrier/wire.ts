import { isCurrencyCode } from '../../domain/money/currencies';
import { formatMoney, parseMoney } from '../../domain/money/money';
import type { Money } from '../../domain/money/types';
import type {
  CarrierLabel,
  CarrierRate,
  CarrierShipment,
  CreateShipmentRequest,
  CustomsItem,
  PostalAddressWithName,
} from '../../domain/shipping/carrier-port';
import { invalidRequest } from '../shared/json-api';
import { WireReader, type Json } from '../shared/wire-reader';

/**
 * The carrier's wire format, after EasyPost's (https://docs.easypost.com/docs/shipments):
 * snake_case JSON, objects wrapped on create (`{ "shipment": { … } }`), addresses with
 * `street1/street2/city/state/zip/country`, rates and values as decimal strings with a
 * `currency` (`"rate": "36.00"`), a `postage_label`, a `tracking_code` and a `refund_status`.
 * Unlike EasyPost, weights are grams and sizes centimetres (`weight_grams`, `length_cm`), and
 * `status` uses the port's vocabulary.
 */

export interface WireAddress {
  name: string;
  company?: string;
  street1: string;
  street2?: string;
  city: string;
  state?: string;
  zip?: string;
  country: string;
  phone?: string;
  email?: string;
}

class Reader extends WireReader {
  positiveInteger(value: unknown, field: string): number {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
    this.problems.push({ field, message: 'must be a positive integer' });
    return 1;
  }

  optionalPositiveNumber(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 10_000) return value;
    this.problems.push({ field, message: 'must be a positive number' });
    return undefined;
  }

  decimalMoney(value: unknown, currencyValue: unknown, field: string): Money {
    const currency = this.string(currencyValue, `${field}.currency`, 3);
    if (currency === '' || !isCurrencyCode(currency)) {
      this.problems.push({ field: `${field}.currency`, message: 'must be an ISO 4217 currency code' });
      return { amount: 0, currency: 'USD' };
    }
    try {
      return parseMoney(String(value), currency, field);
    } catch (error) {
      this.problems.push({
        field,
        message: error instanceof Error ? error.message : 'must be a decimal amount',
      });
      return { amount: 0, currency };
    }
  }
}

function address(reader: Reader, value: unknown, field: string): PostalAddressWithName {
  const object = reader.object(value, field);
  const optional = (key: string, max = 200) => reader.optionalString(object[key], `${field}.${key}`, max);
  const company = optional('company');
  const line2 = optional('street2');
  const region = optional('state', 100);
  const postalCode = optional('zip', 32);
  const phone = optional('phone', 50);
  const email = optional('email', 200);
  return {
    name: reader.string(object.name, `${field}.name`, 200),
    ...(company !== undefined ? { company } : {}),
    line1: reader.string(object.street1, `${field}.street1`, 200),
    ...(line2 !== undefined ? { line2 } : {}),
    city: reader.string(object.city, `${field}.city`, 200),
    ...(region !== undefined ? { region } : {}),
    ...(postalCode !== undefined ? { postalCode } : {}),
    country: reader.country(object.country, `${field}.country`),
    ...(phone !== undefined ? { phone } : {}),
    ...(email !== undefined ? { email } : {}),
  };
}

/** `{ "shipment": { … } }` → the port's request; a 400 naming every structural problem. */
export function parseCreateShipment(body: unknown): CreateShipmentRequest {
  const reader = new Reader();
  const root = reader.object(reader.object(body, 'body').shipment, 'shipment');
  const parcel = reader.object(root.parcel, 'shipment.parcel');
  const customs = reader.object(root.customs_info, 'shipment.customs_info');
  const incoterm = customs.incoterm;
  if (incoterm !== 'DDP' && incoterm !== 'DAP') {
    reader.problems.push({ field: 'shipment.customs_info.incoterm', message: 'must be DDP or DAP' });
  }
  const rawItems = Array.isArray(customs.customs_items) ? (customs.customs_items as unknown[]) : [];
  if (rawItems.length === 0) {
    reader.problems.push({
      field: 'shipment.customs_info.customs_items',
      message: 'must list at least one item',
    });
  }
  const items: CustomsItem[] = rawItems.map((raw, index) => {
    const field = `shipment.customs_info.customs_items.${index}`;
    const item = reader.object(raw, field);
    return {
      description: reader.string(item.description, `${field}.description`),
      hsCode: reader.string(item.hs_tariff_number, `${field}.hs_tariff_number`, 20),
      originCountry: reader.country(item.origin_country, `${field}.origin_country`),
      quantity: reader.positiveInteger(item.quantity, `${field}.quantity`),
      value: reader.decimalMoney(item.value, item.currency, `${field}.value`),
      weightGrams: reader.positiveInteger(item.weight_grams, `${field}.weight_grams`),
    };
  });
  const lengthCm = reader.optionalPositiveNumber(parcel.length_cm, 'shipment.parcel.length_cm');
  const widthCm = reader.optionalPositiveNumber(parcel.width_cm, 'shipment.parcel.width_cm');
  const heightCm = reader.optionalPositiveNumber(parcel.height_cm, 'shipment.parcel.height_cm');
  const request: CreateShipmentRequest = {
    reference: reader.string(root.reference, 'shipment.reference', 255),
    from: address(reader, root.from_address, 'shipment.from_address'),
    to: address(reader, root.to_address, 'shipment.to_address'),
    parcel: {
      weightGrams: reader.positiveInteger(parcel.weight_grams, 'shipment.parcel.weight_grams'),
      ...(lengthCm !== undefined ? { lengthCm } : {}),
      ...(widthCm !== undefined ? { widthCm } : {}),
      ...(heightCm !== undefined ? { heightCm } : {}),
    },
    customs: {
      incoterm: incoterm === 'DAP' ? 'DAP' : 'DDP',
      contents: reader.string(customs.contents_explanation, 'shipment.customs_info.contents_explanation'),
      items,
    },
  };
  if (reader.problems.length > 0) {
    const [first] = reader.problems;
    throw invalidRequest(
      `Invalid shipment: ${reader.problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      first?.field,
      reader.problems.map((p) => ({ code: 'invalid_field', field: p.field, message: p.message })),
    );
  }
  return request;
}

export function rateToWire(rate: CarrierRate, shipmentId: string): Json {
  return {
    id: rate.rateId,
    object: 'Rate',
    shipment_id: shipmentId,
    carrier: rate.carrier,
    service: rate.service,
    service_id: rate.serviceId ?? null,
    rate: formatMoney(rate.amount),
    currency: rate.amount.currency,
    delivery_days: rate.deliveryDays,
    delivery_duties_paid: rate.deliveryDutiesPaid,
  };
}

export interface WireShipmentExtras {
  refundStatus: 'submitted' | 'refunded' | 'rejected' | null;
  refundRejectionReason: string | null;
  messages: { type: string; message: string }[];
  createdAt: string;
  trackerId: string | null;
}

export function shipmentToWire(shipment: CarrierShipment, extras: WireShipmentExtras): Json {
  const label: CarrierLabel | undefined = shipment.label;
  const selected = label ? shipment.rates.find((rate) => rate.rateId === label.rateId) : undefined;
  return {
    id: shipment.shipmentId,
    object: 'Shipment',
    mode: 'test',
    reference: shipment.reference,
    status: shipment.status,
    created_at: extras.createdAt,
    rates: shipment.rates.map((rate) => rateToWire(rate, shipment.shipmentId)),
    messages: extras.messages,
    selected_rate: selected ? rateToWire(selected, shipment.shipmentId) : null,
    postage_label: label
      ? {
          id: label.labelId,
          object: 'PostageLabel',
          label_url: label.labelUrl,
          label_date: label.purchasedAt,
          label_file_type: 'application/pdf',
          carrier: label.carrier,
          service: label.service,
          rate_id: label.rateId ?? null,
          cost: formatMoney(label.cost),
          currency: label.cost.currency,
        }
      : null,
    tracking_code: label?.trackingNumber ?? null,
    tracker:
      extras.trackerId && label
        ? { id: extras.trackerId, object: 'Tracker', tracking_code: label.trackingNumber }
        : null,
    refund_status: extras.refundStatus,
    refund_rejection_reason: extras.refundRejectionReason,
    handed_over_at: shipment.handedOverAt ?? null,
  };
}
