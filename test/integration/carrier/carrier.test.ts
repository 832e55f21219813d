import { quoteServices, SAMPLE_RATE_CARDS, SAMPLE_ZONES } from '../../../src/domain/shipping';
import type { CarrierRate } from '../../../src/domain/shipping/carrier-port';
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

describe('carrier sandbox through the HTTP adapter', () => {
  let sandbox: CarrierSandbox;
  let carrier: HttpCarrier;

  beforeAll(async () => {
    ({ sandbox, carrier } = await startTestCarrier());
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.close());

  const chargesFor = (shipmentId: string) =>
    sandbox.charges.filter((charge) => charge.shipmentId === shipmentId);
  const ddpRate = (rates: CarrierRate[], service = 'standard') =>
    rates.find((rate) => rate.service === service && rate.deliveryDutiesPaid)!;

  it('creates a shipment with live rates that agree with the quote model for the same parcel', async () => {
    const request = sampleShipment();
    const shipment = await carrier.createShipment(request);
    expect(shipment).toMatchObject({ reference: request.reference, status: 'created' });
    expect(shipment.shipmentId).toMatch(/^shp_/);
    const { options } = quoteServices(
      {
        origin: 'DE',
        destination: 'US',
        shipDate: new Date(),
        parcels: [{ weightGrams: 1_200, lengthMm: 300, widthMm: 200, heightMm: 100 }],
      },
      SAMPLE_RATE_CARDS,
      SAMPLE_ZONES,
    );
    expect(
      shipment.rates.map((rate) => [
        rate.serviceId,
        rate.service,
        rate.amount,
        rate.deliveryDays,
        rate.deliveryDutiesPaid,
      ]),
    ).toEqual(
      options.map((option) => [
        option.serviceId,
        option.level.toLowerCase(),
        option.price,
        option.transitDays.max,
        option.ddpSupported,
      ]),
    );
    expect(shipment.rates.map((rate) => rate.service)).toEqual(['economy', 'standard', 'express']);
  });

  it('creates one shipment per reference; other content under the same reference is refused', async () => {
    const request = sampleShipment();
    const first = await carrier.createShipment(request);
    const again = await carrierFor(sandbox).createShipment(request);
    expect(again.shipmentId).toBe(first.shipmentId);
    expect(again.rates).toEqual(first.rates);
    expect(sandbox.shipments().filter((s) => s.reference === request.reference)).toHaveLength(1);
    const error = await failure(carrier.createShipment({ ...request, parcel: { weightGrams: 5_000 } }));
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', retryable: false });
  });

  it('buys a label once: buying again returns the same label and charges nothing more', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    const rate = ddpRate(shipment.rates);
    const label = await carrier.buyLabel(shipment.shipmentId, rate.rateId);
    expect(label).toMatchObject({
      carrier: 'Sample Parcel Co.',
      service: 'standard',
      cost: rate.amount,
      rateId: rate.rateId,
    });
    expect(label.trackingNumber).toMatch(/^SPC\d{12}$/);
    expect(label.labelUrl).toBe(`${sandbox.url}/labels/${label.labelId}.pdf`);
    const again = await carrier.buyLabel(shipment.shipmentId, rate.rateId);
    expect(again).toEqual(label);
    // Without the idempotency key (another client), the carrier's state still says: one label.
    const raw = await fetch(`${sandbox.url}/v2/shipments/${shipment.shipmentId}/buy`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ rate: { id: rate.rateId } }),
    });
    expect(raw.status).toBe(200);
    expect(chargesFor(shipment.shipmentId)).toEqual([
      expect.objectContaining({ kind: 'label', amount: rate.amount }),
    ]);
    const read = await carrier.getShipment(shipment.shipmentId);
    expect(read).toMatchObject({ status: 'label_purchased', label });
    expect(sandbox.events(shipment.shipmentId).map((e) => e.status)).toEqual(['pre_transit']);
  });

  it('refuses a second label at another rate, an unknown rate and a non-DDP rate for a DDP shipment', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    const economy = shipment.rates.find((rate) => rate.service === 'economy')!;
    expect(economy.deliveryDutiesPaid).toBe(false);
    const notDdp = await failure(carrier.buyLabel(shipment.shipmentId, economy.rateId));
    expect(notDdp).toMatchObject({
      code: 'BUSINESS_RULE_VIOLATION',
      details: { providerCode: 'rate_not_ddp' },
    });
    expect((await failure(carrier.buyLabel(shipment.shipmentId, 'rate_unknown'))).details).toMatchObject({
      providerCode: 'rate_not_found',
    });
    await carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates).rateId);
    const second = await failure(
      carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates, 'express').rateId),
    );
    expect(second).toMatchObject({
      code: 'BUSINESS_RULE_VIOLATION',
      retryable: false,
      details: { providerCode: 'postage_exists' },
    });
    expect(chargesFor(shipment.shipmentId)).toHaveLength(1);
  });

  it('lets a DAP shipment buy the economy service', async () => {
    const request = sampleShipment();
    const shipment = await carrier.createShipment({
      ...request,
      customs: { ...request.customs, incoterm: 'DAP' },
    });
    const economy = shipment.rates.find((rate) => rate.service === 'economy')!;
    expect((await carrier.buyLabel(shipment.shipmentId, economy.rateId)).service).toBe('economy');
  });

  it('voids a label before handover (refunded, once); voiding again answers the same', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    const label = await carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates).rateId);
    expect(await carrier.voidLabel(shipment.shipmentId)).toEqual({ status: 'refunded' });
    expect(await carrier.voidLabel(shipment.shipmentId)).toEqual({ status: 'refunded' });
    expect((await carrier.getShipment(shipment.shipmentId)).status).toBe('label_voided');
    expect(chargesFor(shipment.shipmentId).map((c) => [c.kind, c.amount.amount])).toEqual([
      ['label', label.cost.amount],
      ['refund', -label.cost.amount],
    ]);
    expect(() => sandbox.advance(shipment.shipmentId, 'handover')).toThrow(/label_voided/);
    // The same purchase again is a replay of its first answer (the idempotency key), never a new label;
    // without the key, the carrier refuses to sell a label for a voided shipment.
    expect(await carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates).rateId)).toEqual(label);
    const raw = await fetch(`${sandbox.url}/v2/shipments/${shipment.shipmentId}/buy`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ rate: { id: ddpRate(shipment.rates).rateId } }),
    });
    expect(raw.status).toBe(422);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('shipment_voided');
    expect(chargesFor(shipment.shipmentId)).toHaveLength(2);
  });

  it('rejects voiding after handover, with the reason', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    await carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates).rateId);
    const handed = sandbox.advance(shipment.shipmentId, 'handover');
    expect(handed.handedOverAt).toBeDefined();
    const result = await carrier.voidLabel(shipment.shipmentId);
    expect(result).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('handed over to the carrier'),
    });
    expect(await carrier.getShipment(shipment.shipmentId)).toMatchObject({
      status: 'in_transit',
      handedOverAt: handed.handedOverAt,
    });
    expect(chargesFor(shipment.shipmentId)).toHaveLength(1);
  });

  it('refuses to void a shipment without a label (BUSINESS_RULE_VIOLATION)', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    const error = await failure(carrier.voidLabel(shipment.shipmentId));
    expect(error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATION', details: { providerCode: 'no_label' } });
  });

  it('advances a shipment through its life, refusing steps that do not apply', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    expect(() => sandbox.advance(shipment.shipmentId, 'handover')).toThrow(/created/);
    await carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates).rateId);
    for (const [step, status] of [
      ['handover', 'in_transit'],
      ['exception', 'exception'],
      ['out_for_delivery', 'out_for_delivery'],
      ['deliver', 'delivered'],
    ] as const) {
      expect(sandbox.advance(shipment.shipmentId, step).status).toBe(status);
    }
    expect(() => sandbox.advance(shipment.shipmentId, 'return')).toThrow(/delivered/);
    expect(sandbox.events(shipment.shipmentId).map((e) => e.status)).toEqual([
      'pre_transit',
      'in_transit',
      'exception',
      'out_for_delivery',
      'delivered',
    ]);
    expect((await carrier.getShipment(shipment.shipmentId)).status).toBe('delivered');
  });

  it('lists a shipment’s tracking events, oldest first, with the ids its webhooks carry', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    expect(await carrier.trackingEvents(shipment.shipmentId)).toEqual([]);
    await carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates).rateId);
    sandbox.advance(shipment.shipmentId, 'handover');
    sandbox.advance(shipment.shipmentId, 'deliver', { location: 'Chicago, US' });
    const events = await carrier.trackingEvents(shipment.shipmentId);
    expect(events).toEqual(sandbox.events(shipment.shipmentId));
    expect(events.map((e) => e.status)).toEqual(['pre_transit', 'in_transit', 'delivered']);
    expect(events[2]).toMatchObject({ shipmentId: shipment.shipmentId, location: 'Chicago, US' });
    expect((await failure(carrier.trackingEvents('shp_missing'))).code).toBe('NOT_FOUND');
    await expect(carrier.trackingEvents('../etc')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'shipmentId',
    });
  });

  it('answers a 503 on the tracking list as a retryable failure; the next read answers', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    const path = `/v2/shipments/${shipment.shipmentId}/tracking`;
    sandbox.faults.inject({ kind: '503', times: 1, method: 'GET', path });
    const error = await failure(carrier.trackingEvents(shipment.shipmentId));
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
    expect(await carrier.trackingEvents(shipment.shipmentId)).toEqual([]);
  });

  it('progresses labels on its own when asked (handover, out for delivery, delivered)', async () => {
    sandbox.setProgression({ handoverAfterMs: 30, outForDeliveryAfterMs: 30, deliverAfterMs: 30 });
    try {
      const shipment = await carrier.createShipment(sampleShipment());
      await carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates).rateId);
      const deadline = Date.now() + 3_000;
      while ((await carrier.getShipment(shipment.shipmentId)).status !== 'delivered') {
        if (Date.now() > deadline) throw new Error('the shipment did not progress');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(sandbox.events(shipment.shipmentId).map((e) => e.status)).toEqual([
        'pre_transit',
        'in_transit',
        'out_for_delivery',
        'delivered',
      ]);
    } finally {
      sandbox.setProgression(null);
    }
  });

  it('offers its controls over HTTP (/_sandbox)', async () => {
    const shipment = await carrier.createShipment(sampleShipment());
    await carrier.buyLabel(shipment.shipmentId, ddpRate(shipment.rates).rateId);
    const advanced = await carrierAdmin(sandbox, 'POST', `/shipments/${shipment.shipmentId}/advance`, {
      step: 'handover',
    });
    expect(advanced).toMatchObject({ status: 200, body: { status: 'in_transit' } });
    expect(
      (await carrierAdmin(sandbox, 'POST', `/shipments/${shipment.shipmentId}/advance`, { step: 'handover' }))
        .status,
    ).toBe(409);
    expect((await carrier.voidLabel(shipment.shipmentId)).status).toBe('rejected');
    expect((await carrierAdmin(sandbox, 'POST', '/progression', { handoverAfterMs: 'soon' })).status).toBe(
      400,
    );
    expect((await carrierAdmin(sandbox, 'GET', '/charges')).body.charges).toEqual(
      expect.arrayContaining([expect.objectContaining({ shipmentId: shipment.shipmentId })]),
    );
    const settings = await carrierAdmin(sandbox, 'GET', '/webhooks');
    expect(settings.body.settings).not.toHaveProperty('secret');
    expect((await fetch(`${sandbox.url}/_sandbox/shipments`)).status).toBe(401);
  });

  it('answers a malformed shipment with a 400 (VALIDATION_FAILED) naming the fields', async () => {
    const request = sampleShipment();
    const error = await failure(
      carrier.createShipment({
        ...request,
        to: { ...request.to, country: 'USA' },
        parcel: { weightGrams: 0 },
      }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    expect(error.details?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'shipment.to_address.country' }),
        expect.objectContaining({ field: 'shipment.parcel.weight_grams' }),
      ]),
    );
  });

  it('gives a shipment no rates, with the reason, where no service goes', async () => {
    const request = sampleShipment();
    const shipment = await carrier.createShipment({ ...request, to: { ...request.to, country: 'BR' } });
    expect(shipment.rates).toEqual([]);
    expect((await failure(carrier.getShipment('shp_missing'))).code).toBe('NOT_FOUND');
  });
});
