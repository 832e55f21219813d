import type { Money } from '../../domain/money/types';
import type {
  CarrierLabel,
  CarrierRate,
  CarrierShipment,
  CreateShipmentRequest,
  ShipmentStatus,
  VoidLabelResult,
} from '../../domain/shipping/carrier-port';
import { SAMPLE_RATE_CARDS, SAMPLE_ZONES } from '../../domain/shipping/data/sample-rate-cards';
import { quoteServices } from '../../domain/shipping/rates';
import type { RateCard, ZoneChart } from '../../domain/shipping/types';
import type { TrackingEvent, TrackingStatus } from '../../domain/shipping/tracking';
import type { SeededIds } from '../shared/seeded-ids';

/** A step a test (or the automatic progression) moves a shipment by. */
export type AdvanceStep = 'handover' | 'out_for_delivery' | 'deliver' | 'exception' | 'return';

export const ADVANCE_STEPS: readonly AdvanceStep[] = [
  'handover',
  'out_for_delivery',
  'deliver',
  'exception',
  'return',
];

const STEP_RULES: Readonly<
  Record<
    AdvanceStep,
    { from: readonly ShipmentStatus[]; to: ShipmentStatus; event: TrackingStatus; description: string }
  >
> = {
  handover: {
    from: ['label_purchased'],
    to: 'in_transit',
    event: 'in_transit',
    description: 'Picked up by the carrier',
  },
  out_for_delivery: {
    from: ['in_transit', 'exception'],
    to: 'out_for_delivery',
    event: 'out_for_delivery',
    description: 'Out for delivery',
  },
  deliver: {
    from: ['in_transit', 'out_for_delivery', 'exception'],
    to: 'delivered',
    event: 'delivered',
    description: 'Delivered',
  },
  exception: {
    from: ['in_transit', 'out_for_delivery'],
    to: 'exception',
    event: 'exception',
    description: 'Delivery exception: held at customs for inspection',
  },
  return: {
    from: ['in_transit', 'out_for_delivery', 'exception'],
    to: 'returned',
    event: 'returned',
    description: 'Returned to the sender',
  },
};

/** The automatic life of a bought label (each delay counts from the previous step). */
export interface AutoProgression {
  handoverAfterMs: number;
  outForDeliveryAfterMs: number;
  deliverAfterMs: number;
}

export interface ShipmentRecord {
  id: string;
  reference: string;
  fingerprint: string;
  request: CreateShipmentRequest;
  createdAtMs: number;
  rates: CarrierRate[];
  messages: { type: string; message: string }[];
  status: ShipmentStatus;
  label: (CarrierLabel & { rateId: string }) | null;
  trackerId: string | null;
  /** Its tracking events, oldest first (what GET /v2/shipments/:id/tracking answers). */
  events: TrackingEvent[];
  handedOverAtMs: number | null;
  refundStatus: 'refunded' | 'rejected' | null;
  refundRejectionReason: string | null;
  timers: Set<NodeJS.Timeout>;
}

/** What the carrier charged (labels) and gave back (voided labels): one entry per movement. */
export interface ChargeRecord {
  shipmentId: string;
  labelId: string;
  kind: 'label' | 'refund';
  /** Positive for a charge, negative for a refund. */
  amount: Money;
  at: string;
}

export class StateError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Carrier rate-card levels → the port's service names. */
const SERVICE_NAMES = { ECONOMY: 'economy', STANDARD: 'standard', EXPRESS: 'express' } as const;

export interface CarrierStateOptions {
  rateCards?: readonly RateCard[];
  zones?: ZoneChart;
  /** Where label URLs point (the sandbox's own URL). */
  labelBaseUrl: () => string;
}

/**
 * A carrier's state kept across restarts. Not its id seed: a restarted sandbox draws a new one, so
 * an id handed out after the last write of the file is not handed out again.
 */
export interface CarrierStateSnapshot {
  shipments: Omit<ShipmentRecord, 'timers'>[];
  charges: ChargeRecord[];
}

export class CarrierState {
  readonly shipments = new Map<string, ShipmentRecord>();
  readonly byReference = new Map<string, string>();
  readonly charges: ChargeRecord[] = [];
  private progression: AutoProgression | null = null;
  private readonly rateCards: readonly RateCard[];
  private readonly zones: ZoneChart;

  constructor(
    private readonly ids: SeededIds,
    private readonly clock: { now(): number },
    private readonly emit: (event: TrackingEvent) => void,
    private readonly options: CarrierStateOptions,
  ) {
    this.rateCards = options.rateCards ?? SAMPLE_RATE_CARDS;
    this.zones = options.zones ?? SAMPLE_ZONES;
  }

  configureProgression(progression: AutoProgression | null): void {
    this.progression = progression;
  }

  currentProgression(): AutoProgression | null {
    return this.progression;
  }

  /**
   * Live rates from the same rate model quotes use (src/domain/shipping, sample rate cards), so
   * the price of a service quoted at checkout and the live rate of that service agree for the
   * same parcel and day. Sizes: cm → mm; a parcel without sizes is billed on its weight alone
   * (as quotes do for goods without dimensions).
   */
  ratesFor(
    request: CreateShipmentRequest,
    shipmentId: string,
    nowMs: number,
  ): { rates: CarrierRate[]; messages: { type: string; message: string }[] } {
    const { parcel } = request;
    const mm = (cm: number | undefined) => (cm === undefined ? undefined : Math.ceil(cm * 10));
    const [l, w, h] = [mm(parcel.lengthCm), mm(parcel.widthCm), mm(parcel.heightCm)];
    const sized = l !== undefined && w !== undefined && h !== undefined;
    const { options, unavailable } = quoteServices(
      {
        origin: request.from.country,
        destination: request.to.country,
        shipDate: new Date(nowMs),
        parcels: [
          {
            weightGrams: parcel.weightGrams,
            lengthMm: sized ? l : 1,
            widthMm: sized ? w : 1,
            heightMm: sized ? h : 1,
          },
        ],
      },
      this.rateCards,
      this.zones,
    );
    const rates = options.map((option) => ({
      rateId: this.ids.next('rate'),
      carrier: option.carrier,
      service: SERVICE_NAMES[option.level],
      amount: option.price,
      deliveryDays: option.transitDays.max,
      deliveryDutiesPaid: option.ddpSupported,
      serviceId: option.serviceId,
    }));
    const messages = unavailable.map((item) => ({
      type: 'rate_error',
      message: `${item.serviceId}: ${item.reason} (${request.from.country} → ${request.to.country}, shipment ${shipmentId})`,
    }));
    return { rates, messages };
  }

  create(request: CreateShipmentRequest, fingerprint: string, nowMs: number): ShipmentRecord {
    const id = this.ids.next('shp');
    const { rates, messages } = this.ratesFor(request, id, nowMs);
    const record: ShipmentRecord = {
      id,
      reference: request.reference,
      fingerprint,
      request,
      createdAtMs: nowMs,
      rates,
      messages,
      status: 'created',
      label: null,
      trackerId: null,
      events: [],
      handedOverAtMs: null,
      refundStatus: null,
      refundRejectionReason: null,
      timers: new Set(),
    };
    this.shipments.set(id, record);
    this.byReference.set(request.reference, id);
    return record;
  }

  /** Buys the label at `rateId`; the same rate again returns the label bought (no second charge). */
  buy(record: ShipmentRecord, rateId: string, nowMs: number): CarrierLabel {
    if (record.status === 'label_voided') {
      throw new StateError(
        'shipment_voided',
        `Shipment ${record.id}'s label was voided; create a new shipment to ship again.`,
      );
    }
    if (record.label) {
      if (record.label.rateId === rateId) return record.label;
      throw new StateError(
        'postage_exists',
        `Shipment ${record.id} already has a label bought at rate ${record.label.rateId}; void it before buying another.`,
      );
    }
    const rate = record.rates.find((candidate) => candidate.rateId === rateId);
    if (!rate)
      throw new StateError('rate_not_found', `Rate ${rateId} is not one of shipment ${record.id}'s rates.`);
    if (record.request.customs.incoterm === 'DDP' && !rate.deliveryDutiesPaid) {
      throw new StateError(
        'rate_not_ddp',
        `The ${rate.service} service cannot deliver duties paid, and shipment ${record.id} is DDP; choose a DDP rate.`,
      );
    }
    const labelId = this.ids.next('pl');
    record.label = {
      labelId,
      trackingNumber: `SPC${this.ids.digits(`tracking:${labelId}`, 12)}`,
      carrier: rate.carrier,
      service: rate.service,
      labelUrl: `${this.options.labelBaseUrl()}/labels/${labelId}.pdf`,
      cost: rate.amount,
      purchasedAt: iso(nowMs),
      rateId: rate.rateId,
    };
    record.trackerId = this.ids.next('trk');
    record.status = 'label_purchased';
    this.charges.push({ shipmentId: record.id, labelId, kind: 'label', amount: rate.amount, at: iso(nowMs) });
    this.track(
      record,
      'pre_transit',
      'Label created; awaiting handover to the carrier',
      nowMs,
      record.request.from.city,
    );
    this.scheduleProgression(record);
    return record.label;
  }

  /** Voids (refunds) the label: only while the carrier does not have the parcel. */
  voidLabel(record: ShipmentRecord, nowMs: number): VoidLabelResult {
    if (!record.label) throw new StateError('no_label', `Shipment ${record.id} has no label to void.`);
    if (record.refundStatus === 'refunded') return { status: 'refunded' };
    if (record.handedOverAtMs !== null) {
      const reason = `The parcel was handed over to the carrier at ${iso(record.handedOverAtMs)}; a used label cannot be refunded.`;
      record.refundStatus = 'rejected';
      record.refundRejectionReason = reason;
      return { status: 'rejected', reason };
    }
    this.cancelProgression(record);
    record.refundStatus = 'refunded';
    record.refundRejectionReason = null;
    record.status = 'label_voided';
    this.charges.push({
      shipmentId: record.id,
      labelId: record.label.labelId,
      kind: 'refund',
      amount: { amount: -record.label.cost.amount, currency: record.label.cost.currency },
      at: iso(nowMs),
    });
    return { status: 'refunded' };
  }

  /** Moves a shipment one step (test control and automatic progression). */
  advance(
    record: ShipmentRecord,
    step: AdvanceStep,
    nowMs: number,
    detail: { description?: string; location?: string } = {},
  ): void {
    const rule = STEP_RULES[step];
    if (!rule)
      throw new StateError(
        'unknown_step',
        `unknown step "${String(step)}"; expected one of ${ADVANCE_STEPS.join(', ')}`,
      );
    if (!rule.from.includes(record.status)) {
      throw new StateError(
        'invalid_step',
        `shipment ${record.id} is ${record.status}: "${step}" needs ${rule.from.join(' or ')}`,
      );
    }
    record.status = rule.to;
    if (step === 'handover') record.handedOverAtMs = nowMs;
    if (step === 'deliver' || step === 'return') this.cancelProgression(record);
    const { from, to } = record.request;
    const location =
      detail.location ??
      (step === 'handover' || step === 'return'
        ? `${from.city}, ${from.country}`
        : `${to.city}, ${to.country}`);
    this.track(record, rule.event, detail.description ?? rule.description, nowMs, location);
  }

  view(record: ShipmentRecord): CarrierShipment {
    return {
      shipmentId: record.id,
      reference: record.reference,
      status: record.status,
      rates: record.rates.map((rate) => ({ ...rate })),
      ...(record.label ? { label: { ...record.label } } : {}),
      ...(record.handedOverAtMs !== null ? { handedOverAt: iso(record.handedOverAtMs) } : {}),
    };
  }

  findByReference(reference: string): ShipmentRecord | undefined {
    const id = this.byReference.get(reference);
    return id === undefined ? undefined : this.shipments.get(id);
  }

  /** Cancels every automatic progression (the sandbox is closing). */
  stopTimers(): void {
    for (const record of this.shipments.values()) this.cancelProgression(record);
  }

  reset(): void {
    this.stopTimers();
    this.shipments.clear();
    this.byReference.clear();
    this.charges.length = 0;
  }

  /** Everything it holds, as JSON-ready data (the sandbox's snapshot file, shared/snapshot.ts). */
  snapshot(): CarrierStateSnapshot {
    return {
      shipments: [...this.shipments.values()].map(({ timers: _timers, ...record }) => record),
      charges: [...this.charges],
    };
  }

  /**
   * Takes the state of a snapshot. A bought label's automatic progression goes on from the step
   * its shipment is at, that step's delay counted again from now.
   */
  restore(data: CarrierStateSnapshot): void {
    this.reset();
    for (const saved of data.shipments) {
      const record: ShipmentRecord = { ...saved, timers: new Set() };
      this.shipments.set(record.id, record);
      this.byReference.set(record.reference, record.id);
      if (record.label) this.scheduleProgression(record);
    }
    for (const charge of data.charges) this.charges.push(charge);
  }

  private track(
    record: ShipmentRecord,
    status: TrackingStatus,
    description: string,
    nowMs: number,
    location: string,
  ): void {
    if (!record.label) return;
    const event: TrackingEvent = {
      eventId: this.ids.next('evt'),
      shipmentId: record.id,
      reference: record.reference,
      trackingNumber: record.label.trackingNumber,
      status,
      occurredAt: iso(nowMs),
      description,
      location,
    };
    record.events.push(event);
    this.emit(event);
  }

  private scheduleProgression(record: ShipmentRecord): void {
    const plan = this.progression;
    if (!plan) return;
    const steps: [AdvanceStep, number][] = [
      ['handover', plan.handoverAfterMs],
      ['out_for_delivery', plan.outForDeliveryAfterMs],
      ['deliver', plan.deliverAfterMs],
    ];
    const next = (index: number) => {
      const entry = steps[index];
      if (!entry) return;
      const [step, delayMs] = entry;
      const timer = setTimeout(() => {
        record.timers.delete(timer);
        if (!STEP_RULES[step].from.includes(record.status)) return;
        try {
          this.advance(record, step, this.clock.now());
        } catch {
          return;
        }
        next(index + 1);
      }, delayMs);
      timer.unref();
      record.timers.add(timer);
    };
    // A new label starts at the hand-over; a restored shipment at the step its status allows (one
    // in an exception, put there by hand, is left alone).
    const first =
      record.status === 'exception'
        ? -1
        : steps.findIndex(([step]) => STEP_RULES[step].from.includes(record.status));
    if (first >= 0) next(first);
  }

  private cancelProgression(record: ShipmentRecord): void {
    for (const timer of record.timers) clearTimeout(timer);
    record.timers.clear();
  }
}
