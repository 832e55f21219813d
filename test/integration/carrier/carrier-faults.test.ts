import type { HttpCarrier } from '../../../src/infra/carrier';
import type { CarrierSandbox } from '../../../src/sandboxes/carrier';
import {
  carrierAdmin,
  carrierFor,
  failure,
  sampleShipment,
  startTestCarrier,
} from '../../helpers/carrier-sandbox';

jest.setTimeout(30_000);

describe('carrier faults, mapped by the adapter', () => {
  let sandbox: CarrierSandbox;
  let carrier: HttpCarrier;

  beforeAll(async () => {
    ({ sandbox, carrier } = await startTestCarrier());
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.close());

  const chargesFor = (shipmentId: string) =>
    sandbox.charges.filter((charge) => charge.shipmentId === shipmentId);
  const standard = async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    return { shipment, rateId: shipment.rates.find((rate) => rate.service === 'standard')!.rateId };
  };

  it.each(['500', '503'] as const)(
    'maps an injected %s to DEPENDENCY_UNAVAILABLE (retryable)',
    async (kind) => {
      const request = sampleShipment();
      sandbox.faults.inject({ kind, method: 'POST', path: '/v2/shipments' });
      const error = await failure(carrier.createShipment(request));
      expect(error).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        retryable: true,
        details: { statusCode: Number(kind) },
      });
      expect(sandbox.findByReference(request.reference)).toBeUndefined();
      expect((await carrier.createShipment(request)).reference).toBe(request.reference);
    },
  );

  it('maps a 429 to RATE_LIMITED (retryable)', async () => {
    const { shipment, rateId } = await standard();
    sandbox.faults.inject({ kind: '429', method: 'POST', path: '/v2/shipments/' });
    const error = await failure(carrier.buyLabel(shipment.shipmentId, rateId));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, details: { retryAfterSeconds: 1 } });
    expect(chargesFor(shipment.shipmentId)).toHaveLength(0);
  });

  it('maps a slow answer beyond the timeout to DEPENDENCY_UNAVAILABLE (timeout)', async () => {
    const { shipment } = await standard();
    sandbox.faults.inject({ kind: 'slow', delayMs: 300, method: 'GET' });
    const error = await failure(carrierFor(sandbox, { timeoutMs: 50 }).getShipment(shipment.shipmentId));
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
      details: { kind: 'timeout' },
    });
  });

  it('buys one label when the connection drops after the purchase: the retry gets the same label', async () => {
    const { shipment, rateId } = await standard();
    sandbox.faults.inject({
      kind: 'drop-after-commit',
      method: 'POST',
      path: `/v2/shipments/${shipment.shipmentId}/buy`,
    });
    const error = await failure(carrier.buyLabel(shipment.shipmentId, rateId));
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
      details: { kind: 'connection', outcomeUnknown: true },
    });
    expect(chargesFor(shipment.shipmentId)).toHaveLength(1);
    const label = await carrier.buyLabel(shipment.shipmentId, rateId);
    expect(label.labelId).toBe(sandbox.shipment(shipment.shipmentId).label?.labelId);
    expect(chargesFor(shipment.shipmentId)).toHaveLength(1);
    const requests = sandbox.requests.filter(
      (r) => r.idempotencyKey === `shipment:${shipment.shipmentId}:buy:${rateId}`,
    );
    expect(requests.map((r) => [r.status, r.replayed])).toEqual([
      ['dropped', false],
      [200, true],
    ]);
  });

  it('creates one shipment when the connection drops after creation', async () => {
    const request = sampleShipment();
    sandbox.faults.inject({ kind: 'drop-after-commit', method: 'POST', path: '/v2/shipments' });
    expect((await failure(carrier.createShipment(request))).code).toBe('DEPENDENCY_UNAVAILABLE');
    const shipment = await carrier.createShipment(request);
    expect(
      sandbox
        .shipments()
        .filter((s) => s.reference === request.reference)
        .map((s) => s.shipmentId),
    ).toEqual([shipment.shipmentId]);
  });

  it('voids once when the connection drops after the refund', async () => {
    const { shipment, rateId } = await standard();
    await carrier.buyLabel(shipment.shipmentId, rateId);
    sandbox.faults.inject({
      kind: 'drop-after-commit',
      method: 'POST',
      path: `/v2/shipments/${shipment.shipmentId}/refund`,
    });
    expect((await failure(carrier.voidLabel(shipment.shipmentId))).code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(await carrier.voidLabel(shipment.shipmentId)).toEqual({ status: 'refunded' });
    expect(chargesFor(shipment.shipmentId).map((c) => c.kind)).toEqual(['label', 'refund']);
  });

  it('maps a connection dropped before anything was done to a retryable error, and charges nothing', async () => {
    const { shipment, rateId } = await standard();
    sandbox.faults.inject({ kind: 'drop-before-commit', method: 'POST' });
    expect((await failure(carrier.buyLabel(shipment.shipmentId, rateId))).details).toMatchObject({
      kind: 'connection',
    });
    expect(chargesFor(shipment.shipmentId)).toHaveLength(0);
  });

  it('takes faults over HTTP too', async () => {
    const { shipment } = await standard();
    expect(
      (await carrierAdmin(sandbox, 'POST', '/faults', { kind: '503', method: 'GET', times: 2 })).status,
    ).toBe(201);
    expect((await failure(carrier.getShipment(shipment.shipmentId))).code).toBe('DEPENDENCY_UNAVAILABLE');
    expect((await failure(carrier.getShipment(shipment.shipmentId))).code).toBe('DEPENDENCY_UNAVAILABLE');
    expect((await carrier.getShipment(shipment.shipmentId)).shipmentId).toBe(shipment.shipmentId);
    expect((await carrierAdmin(sandbox, 'POST', '/faults', { kind: 'meltdown' })).status).toBe(400);
    const log = await carrierAdmin(sandbox, 'GET', '/faults');
    expect((log.body.triggered as unknown[]).length).toBeGreaterThanOrEqual(2);
  });

  it('answers the admin routes every partner sandbox shares', async () => {
    expect(await carrierAdmin(sandbox, 'GET', '/health')).toEqual({ status: 200, body: { ok: true } });
    await carrierAdmin(sandbox, 'POST', '/faults', { kind: '503', times: 5 });
    expect(await carrierAdmin(sandbox, 'DELETE', '/faults')).toEqual({ status: 200, body: { pending: [] } });
    expect((await carrierAdmin(sandbox, 'GET', '/faults')).body.pending).toEqual([]);
    const requests = await carrierAdmin(sandbox, 'GET', '/requests');
    expect(requests.status).toBe(200);
    expect(Array.isArray(requests.body.requests)).toBe(true);
    // This sandbox runs on the system clock: advancing it is refused, naming why.
    const advance = await carrierAdmin(sandbox, 'POST', '/clock/advance', { ms: 1000 });
    expect(advance.status).toBe(409);
    expect(JSON.stringify(advance.body)).toMatch(/ManualClock/);
    expect(await carrierAdmin(sandbox, 'POST', '/reset')).toEqual({ status: 200, body: { ok: true } });
    expect((await carrierAdmin(sandbox, 'GET', '/shipments')).body.shipments).toEqual([]);
  });
});
