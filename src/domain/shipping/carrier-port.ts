import { AppError } from '../../errors';
import type { PostalAddress } from '../customs/port';
import type { Money } from '../money/types';
import type { TrackingEvent } from './tracking';

/**
 * What the business needs from a carrier (through an aggregator shaped like EasyPost or Shippo):
 * a shipment with its live rates, a label bought at one of them, the label voided (refunded)
 * while the parcel has not been handed over, and the shipment's state. Tracking arrives by
 * webhook (see tracking.ts and verifyCarrierWebhook in src/infra/carrier); the shipment's
 * tracking list is read when webhooks have been silent for a while (they can be lost).
 *
 * Failures are `AppError`s: `VALIDATION_FAILED` (request refused as malformed),
 * `BUSINESS_RULE_VIOLATION` (refused in the shipment's state: unknown rate, rate not DDP for a
 * DDP shipment, another label already bought, no label to void), `IDEMPOTENCY_KEY_REUSED`
 * (same reference, other content), `NOT_FOUND`, `RATE_LIMITED`, `DEPENDENCY_UNAVAILABLE`
 * (5xx, connection lost, timeout: retryable with the same idempotency key).
 */
export interface CarrierPort {
  /** Idempotent by reference. */
  createShipment(request: CreateShipmentRequest): Promise<CarrierShipment>;
  /** Buying again for a shipment that has a label (with the same rate) returns that label: never a second charge. */
  buyLabel(shipmentId: string, rateId: string): Promise<CarrierLabel>;
  /** Only until handover; afterwards `rejected` with the reason. Voiding twice answers as the first time. */
  voidLabel(shipmentId: string): Promise<VoidLabelResult>;
  getShipment(shipmentId: string): Promise<CarrierShipment>;
  /** Every tracking event of the shipment so far, oldest first, with the ids its webhooks carry. */
  trackingEvents(shipmentId: string): Promise<TrackingEvent[]>;
}

export interface PostalAddressWithName extends PostalAddress {
  name: string;
  company?: string;
  phone?: string;
  email?: string;
}

/** A parcel as carriers take it: grams and centimetres (the rate model works in millimetres). */
export interface Parcel {
  weightGrams: number;
  lengthCm?: number;
  widthCm?: number;
  heightCm?: number;
}

export interface CarrierRate {
  rateId: string;
  carrier: string;
  /** 'economy' | 'standard' | 'express' */
  service: string;
  amount: Money;
  /** Business days in transit at most (the rate card's upper bound). */
  deliveryDays: number;
  deliveryDutiesPaid: boolean;
  /** The rate card's service id (`sample-standard`), the same id a quote's shipping option carries. */
  serviceId?: string;
}

export interface CarrierLabel {
  labelId: string;
  trackingNumber: string;
  carrier: string;
  service: string;
  labelUrl: string;
  cost: Money;
  purchasedAt: string;
  /** The rate the label was bought at. */
  rateId?: string;
}

export type ShipmentStatus =
  | 'created'
  | 'label_purchased'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'exception'
  | 'returned'
  | 'label_voided';

export interface CarrierShipment {
  shipmentId: string;
  reference: string;
  status: ShipmentStatus;
  rates: CarrierRate[];
  label?: CarrierLabel;
  /** When the carrier took the parcel; from then on the label can no longer be voided. */
  handedOverAt?: string;
}

export interface CustomsItem {
  description: string;
  hsCode: string;
  originCountry: string;
  quantity: number;
  value: Money;
  weightGrams: number;
}

export interface CreateShipmentRequest {
  /** `order:<orderId>:shipment` (see shipmentReference). */
  reference: string;
  from: PostalAddressWithName;
  to: PostalAddressWithName;
  parcel: Parcel;
  customs: { incoterm: 'DDP' | 'DAP'; contents: string; items: CustomsItem[] };
}

export type VoidLabelResult = { status: 'refunded' | 'submitted' } | { status: 'rejected'; reason: string };

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** `order:<orderId>:shipment` — the one shipment of an order, and its idempotency key. */
export function shipmentReference(orderId: string): string {
  if (typeof orderId !== 'string' || !ID_PATTERN.test(orderId)) {
    throw new AppError('VALIDATION_FAILED', "orderId must be 1 to 64 letters, digits, '_', '-' or '.'", {
      field: 'orderId',
    });
  }
  return `order:${orderId}:shipment`;
}
