/**
 * Tracking: the events a carrier reports for a shipment, and the shipment's tracking state
 * folded from them. Pure and deterministic (no clock, no I/O), so the order workflow can run it
 * on the events its signals bring.
 *
 * Carriers (and their webhooks) deliver events late, twice and out of order. The fold therefore
 * depends only on the SET of distinct events, never on their arrival order:
 * - an event whose `eventId` was seen before is ignored (a redelivery);
 * - events are applied in the order they happened: `occurredAt`, then (same instant) the natural
 *   order pre_transit < in_transit < out_for_delivery < exception < delivered < returned, then
 *   `eventId`;
 * - progress never moves backwards: pre_transit → in_transit → out_for_delivery → delivered. An
 *   event of lower progress than what was reached is kept in the history but changes nothing
 *   (a late "in transit" scan after "out for delivery");
 * - `exception` is a detour, not a step: it shows as the status until an event at or beyond the
 *   progress reached before it (the parcel moves again: status is that progress again);
 * - `delivered` and `returned` (to the sender) are terminal: the first of them (by occurredAt)
 *   wins, and nothing later changes the status;
 * - `handedOverAt` is when the carrier first had the parcel: the earliest in_transit,
 *   out_for_delivery, delivered or returned event (a pre_transit or exception event alone does
 *   not prove the carrier has it: exceptions also occur before pickup).
 * Events for another shipment than the state's, or with an unreadable `occurredAt`, are not
 * applied; their ids are listed in `ignoredEventIds`.
 */
export type TrackingStatus =
  'pre_transit' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception' | 'returned';

export const TRACKING_STATUSES: readonly TrackingStatus[] = [
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
];

export interface TrackingEvent {
  eventId: string;
  shipmentId: string;
  reference: string;
  trackingNumber: string;
  status: TrackingStatus;
  /** ISO 8601: when it happened at the carrier (not when it was delivered to us). */
  occurredAt: string;
  description: string;
  location?: string;
}

export type TrackingProgress = 'pre_transit' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'returned';

export interface TrackingState {
  shipmentId: string | null;
  reference: string | null;
  trackingNumber: string | null;
  /** null until the first event. */
  status: TrackingStatus | null;
  /** The furthest progress reached (exceptions aside). */
  progress: TrackingProgress | null;
  handedOverAt: string | null;
  deliveredAt: string | null;
  returnedAt: string | null;
  /** The open exception, while the status is `exception`. */
  exception: { eventId: string; occurredAt: string; description: string; location?: string } | null;
  /** The latest occurredAt of any applied event. */
  lastEventAt: string | null;
  /** Every distinct applied event, in the order they happened. */
  events: TrackingEvent[];
  ignoredEventIds: string[];
}

export const INITIAL_TRACKING_STATE: TrackingState = Object.freeze({
  shipmentId: null,
  reference: null,
  trackingNumber: null,
  status: null,
  progress: null,
  handedOverAt: null,
  deliveredAt: null,
  returnedAt: null,
  exception: null,
  lastEventAt: null,
  events: [],
  ignoredEventIds: [],
}) as TrackingState;

const PROGRESS_RANK: Readonly<
  Record<'pre_transit' | 'in_transit' | 'out_for_delivery' | 'delivered', number>
> = {
  pre_transit: 0,
  in_transit: 1,
  out_for_delivery: 2,
  delivered: 3,
};

const SAME_INSTANT_ORDER: Readonly<Record<TrackingStatus, number>> = {
  pre_transit: 0,
  in_transit: 1,
  out_for_delivery: 2,
  exception: 3,
  delivered: 4,
  returned: 5,
};

const HANDED_OVER: ReadonlySet<TrackingStatus> = new Set([
  'in_transit',
  'out_for_delivery',
  'delivered',
  'returned',
]);

function time(iso: string): number {
  return Date.parse(iso);
}

function happenedBefore(a: TrackingEvent, b: TrackingEvent): number {
  const byTime = time(a.occurredAt) - time(b.occurredAt);
  if (byTime !== 0) return byTime;
  const byStatus = SAME_INSTANT_ORDER[a.status] - SAME_INSTANT_ORDER[b.status];
  if (byStatus !== 0) return byStatus;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

function isTrackingStatus(value: unknown): value is TrackingStatus {
  return typeof value === 'string' && (TRACKING_STATUSES as readonly string[]).includes(value);
}

/** Recomputes the state from a set of distinct events of one shipment. */
function fromEvents(events: readonly TrackingEvent[], ignoredEventIds: readonly string[]): TrackingState {
  const sorted = [...events].sort(happenedBefore);
  const first = sorted[0];
  const state: TrackingState = {
    ...INITIAL_TRACKING_STATE,
    shipmentId: first?.shipmentId ?? null,
    reference: first?.reference ?? null,
    trackingNumber: first?.trackingNumber ?? null,
    events: sorted,
    ignoredEventIds: [...ignoredEventIds],
  };
  for (const event of sorted) {
    state.lastEventAt = event.occurredAt;
    if (HANDED_OVER.has(event.status) && state.handedOverAt === null) state.handedOverAt = event.occurredAt;
    if (state.progress === 'delivered' || state.progress === 'returned') continue;
    switch (event.status) {
      case 'exception':
        state.status = 'exception';
        state.exception = {
          eventId: event.eventId,
          occurredAt: event.occurredAt,
          description: event.description,
          ...(event.location !== undefined ? { location: event.location } : {}),
        };
        break;
      case 'returned':
        state.status = 'returned';
        state.progress = 'returned';
        state.returnedAt = event.occurredAt;
        state.exception = null;
        break;
      default: {
        const rank = PROGRESS_RANK[event.status];
        const reached = state.progress === null ? -1 : PROGRESS_RANK[state.progress];
        if (rank > reached || (rank === reached && state.status === 'exception')) {
          state.progress = event.status;
          state.status = event.status;
          state.exception = null;
          if (event.status === 'delivered') state.deliveredAt = event.occurredAt;
        }
      }
    }
  }
  return state;
}

/** Adds one event to the state (see the rules above). Returns the same object when nothing changes. */
export function applyTrackingEvent(state: TrackingState, event: TrackingEvent): TrackingState {
  const seen =
    state.events.some((known) => known.eventId === event.eventId) ||
    state.ignoredEventIds.includes(event.eventId);
  if (seen) return state;
  const foreign = state.shipmentId !== null && event.shipmentId !== state.shipmentId;
  if (foreign || !isTrackingStatus(event.status) || Number.isNaN(time(event.occurredAt))) {
    return { ...state, ignoredEventIds: [...state.ignoredEventIds, event.eventId] };
  }
  return fromEvents([...state.events, event], state.ignoredEventIds);
}

/** Folds events (in any order, duplicates included) into a tracking state. */
export function foldTrackingEvents(
  events: Iterable<TrackingEvent>,
  initial: TrackingState = INITIAL_TRACKING_STATE,
): TrackingState {
  let state = initial;
  for (const event of events) state = applyTrackingEvent(state, event);
  return state;
}

/** Whether the carrier has the parcel (then its label can no longer be voided). */
export function handedOver(state: TrackingState): boolean {
  return state.handedOverAt !== null;
}

/** Delivered or returned to the sender: nothing will change the status any more. */
export function trackingFinished(state: TrackingState): boolean {
  return state.progress === 'delivered' || state.progress === 'returned';
}
