import { AppError } from '../../../src/errors';
import { trackingEventsFromWire } from '../../../src/infra/carrier/wire';

const event = (overrides: Record<string, unknown> = {}) => ({
  eventId: 'evt_1',
  shipmentId: 'shp_1',
  reference: 'order:o-1:shipment',
  trackingNumber: '1Z999',
  status: 'in_transit',
  occurredAt: '2026-11-25T10:00:00.000Z',
  description: 'Picked up',
  location: 'Berlin, DE',
  ...overrides,
});
const list = (events: unknown[]) => ({ object: 'TrackingEventList', shipment_id: 'shp_1', events });

function refusal(body: unknown): AppError {
  try {
    trackingEventsFromWire(body, 'shp_1');
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe("the carrier's tracking list (GET /v2/shipments/:id/tracking)", () => {
  it('reads each event as its webhook carries it', () => {
    const { location: _omitted, ...withoutLocation } = event({ eventId: 'evt_2', status: 'delivered' });
    expect(trackingEventsFromWire(list([event(), withoutLocation]), 'shp_1')).toEqual([
      event(),
      withoutLocation,
    ]);
    expect(trackingEventsFromWire(list([]), 'shp_1')).toEqual([]);
  });

  it.each([
    ['not a list', { object: 'Shipment' }, 'events'],
    ['no events', { object: 'TrackingEventList' }, 'events'],
    ['an unknown status', list([event({ status: 'lost' })]), 'events[0].status'],
    [
      'a time without offset',
      list([event(), event({ eventId: 'e', occurredAt: '2026-11-25 10:00' })]),
      'events[1].occurredAt',
    ],
    ['no event id', list([event({ eventId: '' })]), 'events[0].eventId'],
    ["another shipment's event", list([event({ shipmentId: 'shp_2' })]), 'events[0].shipmentId'],
  ])('treats %s as the carrier failing (retryable), naming what is wrong', (_what, body, field) => {
    const error = refusal(body);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
    expect(error.message).toContain(`(${field})`);
    expect(error.details).toMatchObject({ provider: 'carrier', kind: 'bad_response' });
  });
});
