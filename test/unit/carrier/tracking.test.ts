import fc from 'fast-check';
import {
  applyTrackingEvent,
  foldTrackingEvents,
  handedOver,
  INITIAL_TRACKING_STATE,
  trackingFinished,
  type TrackingEvent,
  type TrackingStatus,
} from '../../../src/domain/shipping/tracking';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

function event(
  id: string,
  status: TrackingStatus,
  minute: number,
  extra: Partial<TrackingEvent> = {},
): TrackingEvent {
  return {
    eventId: id,
    shipmentId: 'shp_1',
    reference: 'order:o-1:shipment',
    trackingNumber: 'SPC000000000001',
    status,
    occurredAt: at(minute),
    description: status,
    ...extra,
  };
}

const journey = [
  event('e1', 'pre_transit', 0),
  event('e2', 'in_transit', 10),
  event('e3', 'out_for_delivery', 20),
  event('e4', 'delivered', 30),
];

describe('foldTrackingEvents', () => {
  it('follows a parcel from label to door', () => {
    const state = foldTrackingEvents(journey);
    expect(state).toMatchObject({
      shipmentId: 'shp_1',
      reference: 'order:o-1:shipment',
      trackingNumber: 'SPC000000000001',
      status: 'delivered',
      progress: 'delivered',
      handedOverAt: at(10),
      deliveredAt: at(30),
      lastEventAt: at(30),
      exception: null,
    });
    expect(state.events.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(handedOver(state)).toBe(true);
    expect(trackingFinished(state)).toBe(true);
  });

  it('starts empty and not handed over', () => {
    expect(INITIAL_TRACKING_STATE.status).toBeNull();
    expect(handedOver(INITIAL_TRACKING_STATE)).toBe(false);
    const labelled = foldTrackingEvents([journey[0]!]);
    expect(labelled.status).toBe('pre_transit');
    expect(handedOver(labelled)).toBe(false);
  });

  it('ignores a redelivered event (same eventId), returning the same state object', () => {
    const once = foldTrackingEvents(journey.slice(0, 2));
    const twice = applyTrackingEvent(once, { ...journey[1]!, description: 'redelivered' });
    expect(twice).toBe(once);
    expect(foldTrackingEvents([...journey, ...journey]).events).toHaveLength(4);
  });

  it('orders events by occurredAt, whatever order they arrive in', () => {
    const reversed = foldTrackingEvents([...journey].reverse());
    expect(reversed).toEqual(foldTrackingEvents(journey));
    expect(reversed.events.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('never moves backwards: a late in_transit after out_for_delivery changes nothing but the history', () => {
    const state = foldTrackingEvents([journey[0]!, journey[2]!, event('late', 'in_transit', 25)]);
    expect(state.status).toBe('out_for_delivery');
    expect(state.events.map((e) => e.eventId)).toEqual(['e1', 'e3', 'late']);
    // A late-arriving but earlier in_transit still dates the handover.
    expect(state.handedOverAt).toBe(at(20));
    const withEarlier = applyTrackingEvent(state, journey[1]!);
    expect(withEarlier.handedOverAt).toBe(at(10));
    expect(withEarlier.status).toBe('out_for_delivery');
  });

  it('shows an exception until the parcel moves on again, then resumes', () => {
    const exception = event('x', 'exception', 15, { description: 'Held at customs', location: 'JFK' });
    const held = foldTrackingEvents([...journey.slice(0, 2), exception]);
    expect(held.status).toBe('exception');
    expect(held.progress).toBe('in_transit');
    expect(held.exception).toEqual({
      eventId: 'x',
      occurredAt: at(15),
      description: 'Held at customs',
      location: 'JFK',
    });
    const resumed = applyTrackingEvent(held, event('r', 'in_transit', 18));
    expect(resumed.status).toBe('in_transit');
    expect(resumed.exception).toBeNull();
    const staleScan = applyTrackingEvent(held, event('old', 'pre_transit', 16));
    expect(staleScan.status).toBe('exception');
    expect(foldTrackingEvents([...journey, exception]).status).toBe('delivered');
  });

  it('keeps delivered and returned terminal: the first by occurredAt wins', () => {
    const delivered = foldTrackingEvents([
      ...journey,
      event('x', 'exception', 40),
      event('r', 'returned', 50),
    ]);
    expect(delivered.status).toBe('delivered');
    expect(delivered.returnedAt).toBeNull();
    const returned = foldTrackingEvents([...journey.slice(0, 2), event('r', 'returned', 25), journey[3]!]);
    expect(returned).toMatchObject({
      status: 'returned',
      progress: 'returned',
      returnedAt: at(25),
      deliveredAt: null,
    });
    expect(trackingFinished(returned)).toBe(true);
  });

  it('does not count an exception before pickup as a handover', () => {
    const state = foldTrackingEvents([journey[0]!, event('x', 'exception', 5)]);
    expect(state.status).toBe('exception');
    expect(handedOver(state)).toBe(false);
  });

  it('orders events of the same instant naturally, then by id', () => {
    const state = foldTrackingEvents([event('b', 'delivered', 10), event('a', 'in_transit', 10)]);
    expect(state.events.map((e) => e.eventId)).toEqual(['a', 'b']);
    expect(state.status).toBe('delivered');
  });

  it('sets aside events of another shipment and unreadable times, listing their ids', () => {
    const state = foldTrackingEvents([
      ...journey.slice(0, 2),
      event('other', 'delivered', 30, { shipmentId: 'shp_2' }),
      event('bad', 'delivered', 30, { occurredAt: 'yesterday' }),
    ]);
    expect(state.status).toBe('in_transit');
    expect(state.ignoredEventIds).toEqual(['other', 'bad']);
  });

  it('gives the same state for any arrival order with any duplicates (property)', () => {
    const statuses: TrackingStatus[] = [
      'pre_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
      'exception',
      'returned',
    ];
    const eventsArb = fc
      .uniqueArray(
        fc.record({ minute: fc.integer({ min: 0, max: 59 }), status: fc.constantFrom(...statuses) }),
        { minLength: 1, maxLength: 8 },
      )
      .map((items) => items.map((item, index) => event(`e${index}`, item.status, item.minute)));
    fc.assert(
      fc.property(
        eventsArb.chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc
              .shuffledSubarray([...events, ...events], { minLength: events.length * 2 })
              .chain((copies) => fc.shuffledSubarray(copies, { minLength: copies.length })),
          ),
        ),
        ([events, arrival]) => {
          expect(foldTrackingEvents(arrival)).toEqual(foldTrackingEvents(events));
        },
      ),
      { numRuns: 300 },
    );
  });
});
