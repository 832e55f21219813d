import { loadConfig } from '../../../src/config';
import { startTestApi, type TestApi } from '../../helpers/api';
import { uniqueId } from '../../helpers/database';
import { berlinAddress, deCart, teeLine } from '../../helpers/quote-requests';

let api: TestApi;
let merchantId: string;

beforeAll(async () => {
  api = await startTestApi();
  merchantId = uniqueId('mer_quotes');
  await api.db.merchant.create({
    data: { id: merchantId, name: 'Quote test merchant', country: 'US', settlementCurrency: 'USD' },
  });
});
afterAll(async () => {
  await api?.close();
});

type Json = Record<string, unknown>;

const cart = (overrides: Json = {}): Json => deCart(merchantId, overrides);

const postQuote = (payload: Json, role: 'checkout' | 'support' | 'finance' | 'admin' = 'checkout') =>
  api.app.inject({ method: 'POST', url: '/v1/quotes', headers: api.auth(role), payload });

const getQuote = (id: string, role: 'checkout' | 'support' | 'finance' | 'admin' = 'checkout') =>
  api.app.inject({ method: 'GET', url: `/v1/quotes/${id}`, headers: api.auth(role) });

// Quotes of this file's merchant only: other test files write quotes to the same database at once.
const countQuotes = () => api.db.quote.count({ where: { merchantId } });

const sumOf = (items: { amount: number }[]) => items.reduce((total, m) => total + m.amount, 0);

describe('POST /v1/quotes and GET /v1/quotes/:id', () => {
  it('creates a quote, stores it and reads it back', async () => {
    const before = await countQuotes();
    const res = await postQuote(cart({ lines: [teeLine('19.99', { quantity: 2 }), teeLine('5.00')] }));
    expect(res.statusCode).toBe(201);
    const quote = res.json();

    expect(quote.id).toMatch(/^qt_[0-9a-f]{24}$/);
    expect(quote).toMatchObject({ status: 'OPEN', merchantId, currency: 'EUR', incoterm: 'DDP' });
    expect(quote.consumedByOrderId).toBeNull();
    expect(quote.lines).toHaveLength(2);
    expect(quote.lines[0]).toMatchObject({
      sku: 'TEE-COT-001',
      quantity: 2,
      unitPrice: { amount: 1999, currency: 'EUR' },
      goods: { amount: 3998, currency: 'EUR' },
    });
    // The totals are the sums of the lines, and what is charged now is everything for DDP.
    const { totals } = quote;
    expect(totals.goods).toEqual({ amount: 4498, currency: 'EUR' });
    for (const part of ['goods', 'shipping', 'duties', 'taxes', 'fees', 'chargeNow', 'dueOnDelivery']) {
      expect({
        part,
        amount: sumOf(quote.lines.map((l: Record<string, { amount: number }>) => l[part])),
      }).toEqual({
        part,
        amount: totals[part].amount,
      });
    }
    expect(totals.chargeNow.amount).toBe(
      totals.goods.amount + totals.shipping.amount + totals.duties.amount + totals.taxes.amount,
    );
    expect(totals.dueOnDelivery.amount).toBe(0);
    expect(totals.taxes.amount).toBeGreaterThan(0);

    // Shipping: the chosen option is one of the options, priced in the cart currency.
    expect(quote.shipping.options.map((o: { serviceId: string }) => o.serviceId)).toContain(
      quote.shipping.chosen.serviceId,
    );
    expect(quote.shipping.chosen.price.currency).toBe('EUR');
    expect(quote.shipping.chosen.carrierPrice.currency).toBe('USD');
    expect(totals.shipping).toEqual(quote.shipping.chosen.price);

    // The rules, FX and screening it used are recorded.
    expect(quote.rulesUsed.landedCost.length).toBeGreaterThan(0);
    expect(quote.rulesUsed.shipping).toContainEqual({ id: quote.shipping.chosen.serviceId, version: 1 });
    expect(quote.fx.reference).toMatchObject({ source: expect.stringContaining('ECB'), date: '2025-02-28' });
    expect(quote.fx.rates).toContainEqual(
      expect.objectContaining({ from: 'EUR', to: 'USD', rate: '1.0411' }),
    );
    expect(quote.fx.conversions.length).toBeGreaterThan(0);
    expect(quote.screening).toMatchObject({ decision: 'ALLOW', reasons: [] });
    expect(quote.regime.code).toMatch(/^EU_/);

    // The price lock holds for the default 30 minutes.
    expect(Date.parse(quote.expiresAt) - Date.parse(quote.createdAt)).toBe(1800 * 1000);
    expect(Math.abs(Date.parse(quote.createdAt) - Date.now())).toBeLessThan(60_000);

    const row = await api.db.quote.findUniqueOrThrow({ where: { id: quote.id } });
    expect(row.chargeNowAmount).toBe(BigInt(totals.chargeNow.amount));
    expect(row.dueOnDeliveryAmount).toBe(0n);
    expect(row).toMatchObject({ status: 'OPEN', screeningDecision: 'ALLOW', shipToCountry: 'DE' });
    expect(await countQuotes()).toBe(before + 1);

    for (const role of ['checkout', 'support', 'finance'] as const) {
      const read = await getQuote(quote.id, role);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(quote);
    }
  });

  it('answers 404 for an unknown quote and 400 for a malformed id', async () => {
    const missing = await getQuote('qt_000000000000000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const malformed = await getQuote('quote-1');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'id',
      location: 'params',
    });
  });

  it('charges duties and taxes now under DDP, and only estimates them under DAP', async () => {
    const ddp = (await postQuote(cart({ incoterm: 'DDP', lines: [teeLine('200.00')] }))).json();
    const dap = (await postQuote(cart({ incoterm: 'DAP', lines: [teeLine('200.00')] }))).json();
    expect(ddp.regime.code).toBe('EU_STANDARD_IMPORT');
    expect(dap.regime.code).toBe('EU_STANDARD_IMPORT');

    expect(ddp.collection).toMatchObject({ duties: 'CHECKOUT', taxes: 'CHECKOUT' });
    expect(ddp.totals.dueOnDelivery.amount).toBe(0);
    expect(ddp.totals.chargeNow).toEqual(ddp.totals.landedTotal);
    expect(ddp.shipping.chosen.ddpSupported).toBe(true);

    expect(dap.collection).toMatchObject({ duties: 'ON_DELIVERY', taxes: 'ON_DELIVERY' });
    expect(dap.totals.chargeNow.amount).toBe(dap.totals.goods.amount + dap.totals.shipping.amount);
    expect(dap.totals.dueOnDelivery.amount).toBe(dap.totals.duties.amount + dap.totals.taxes.amount);
    expect(dap.totals.dueOnDelivery.amount).toBeGreaterThan(0);
    // DAP may use a service that cannot deliver duties paid: the cheapest one here.
    expect(dap.shipping.chosen.serviceId).toBe('sample-economy');
    expect(ddp.shipping.chosen.serviceId).toBe('sample-standard');
    expect(dap.notes.join(' ')).toMatch(/DAP/);
  });

  it('applies the EU EUR 150 threshold at 150.00 and not at 150.01', async () => {
    const at = (await postQuote(cart({ lines: [teeLine('150.00')] }))).json();
    const above = (await postQuote(cart({ lines: [teeLine('150.01')] }))).json();
    expect(at.regime).toMatchObject({
      code: 'EU_IOSS_FLAT_DUTY',
      consignmentValue: { amount: 15000, currency: 'EUR' },
      threshold: { amount: 15000, currency: 'EUR' },
    });
    expect(above.regime).toMatchObject({
      code: 'EU_STANDARD_IMPORT',
      consignmentValue: { amount: 15001, currency: 'EUR' },
    });
    expect(at.regime.reason).toMatch(/150\.00/);
    // Under IOSS the flat duty is EUR 3 per subheading; above it the tariff rate applies.
    expect(at.totals.duties).toEqual({ amount: 300, currency: 'EUR' });
    expect(above.totals.duties.amount).not.toBe(300);
  });

  it('quotes a JPY cart to Japan with a cross rate through the euro', async () => {
    const res = await postQuote(
      cart({
        currency: 'JPY',
        shipTo: { country: 'JP' },
        lines: [teeLine('1999', { quantity: 3 })],
        buyer: { name: 'Sato Hanako', address: { line1: '1-1 Chiyoda', city: 'Tokyo', country: 'JP' } },
        consignee: { name: 'Sato Hanako', address: { line1: '1-1 Chiyoda', city: 'Tokyo', country: 'JP' } },
      }),
    );
    expect(res.statusCode).toBe(201);
    const quote = res.json();
    expect(quote.totals.goods).toEqual({ amount: 5997, currency: 'JPY' });
    const cross = quote.fx.rates.find(
      (r: { from: string; to: string }) => r.from === 'JPY' && r.to === 'USD',
    );
    expect(cross.source).toMatch(/cross rate via EUR/);
    // 1.0411 / 156.96 = 0.006632900102…, kept to 10 significant digits.
    expect(cross.rate).toBe('0.006632900102');
  });

  it('chooses the cheapest service meeting a delivery promise, or the fastest within a price cap', async () => {
    const promised = (await postQuote(cart({ shipping: { deliveryPromiseDays: 5 } }))).json();
    expect(promised.shipping.rule).toEqual({ kind: 'CHEAPEST_WITHIN_PROMISE', deliveryPromiseDays: 5 });
    expect(promised.shipping.chosen.serviceId).toBe('sample-express');
    expect(promised.shipping.deliverBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(promised.shipping.chosen.latestDelivery <= promised.shipping.deliverBy).toBe(true);

    const capped = (await postQuote(cart({ shipping: { priceCap: '30.00' } }))).json();
    expect(capped.shipping.rule).toEqual({
      kind: 'FASTEST_WITHIN_CAP',
      priceCap: { amount: 3000, currency: 'EUR' },
    });
    expect(capped.shipping.chosen.serviceId).toBe('sample-standard');
    expect(capped.shipping.chosen.price.amount).toBeLessThanOrEqual(3000);
  });

  it('records a possible denied-party match as REVIEW, naming the request field', async () => {
    const res = await postQuote(
      cart({ buyer: { name: 'Zephyr Quantum Logistics Ltd', address: berlinAddress('DE') } }),
    );
    expect(res.statusCode).toBe(201);
    const { screening } = res.json();
    expect(screening.decision).toBe('REVIEW');
    expect(screening.reasons[0]).toMatchObject({ code: 'DENIED_PARTY_POSSIBLE_MATCH', field: 'buyer.name' });
    expect(screening.partyMatches[0]).toMatchObject({ field: 'buyer.name', deniedPartyId: 'SAMPLE-001' });
  });
});

describe('bad input is a 400 naming the field, and nothing is stored', () => {
  const MAX = '90071992547409.91'; // Number.MAX_SAFE_INTEGER cents
  const japan = {
    currency: 'JPY',
    shipTo: { country: 'JP' },
    buyer: { name: 'Sato Hanako', address: { line1: '1-1 Chiyoda', city: 'Tokyo', country: 'JP' } },
    consignee: { name: 'Sato Hanako', address: { line1: '1-1 Chiyoda', city: 'Tokyo', country: 'JP' } },
  };

  it.each<[string, Json, string]>([
    ['an unknown currency', { currency: 'XYZ' }, 'currency'],
    ['a currency without a reference rate', { currency: 'XOF', lines: [teeLine('2000')] }, 'currency'],
    ['a lower-case currency', { currency: 'eur' }, 'currency'],
    ['an unknown ship-to country', { shipTo: { country: 'ZZ' } }, 'shipTo.country'],
    [
      'an unknown origin country',
      { lines: [teeLine('10.00', { originCountry: 'XX' })] },
      'lines.0.originCountry',
    ],
    ['an unsupported destination', { shipTo: { country: 'BR' } }, 'shipTo.country'],
    ['an empty cart', { lines: [] }, 'lines'],
    [
      'a JPY price with decimals',
      { ...japan, lines: [teeLine('1000'), teeLine('2000'), teeLine('10.5')] },
      'lines.2.unitPrice',
    ],
    ['a EUR price with three decimals', { lines: [teeLine('19.999')] }, 'lines.0.unitPrice'],
    ['a negative price', { lines: [teeLine('-1.00')] }, 'lines.0.unitPrice'],
    ['a price sent as a number', { lines: [teeLine('1', { unitPrice: 19.99 })] }, 'lines.0.unitPrice'],
    ['a zero quantity', { lines: [teeLine('10.00', { quantity: 0 })] }, 'lines.0.quantity'],
    ['a negative quantity', { lines: [teeLine('10.00', { quantity: -2 })] }, 'lines.0.quantity'],
    ['a fractional quantity', { lines: [teeLine('10.00', { quantity: 1.5 })] }, 'lines.0.quantity'],
    ['a malformed HS code', { lines: [teeLine('10.00', { hsCode: '6109.10' })] }, 'lines.0.hsCode'],
    ['a too short HS code', { lines: [teeLine('10.00', { hsCode: '61091' })] }, 'lines.0.hsCode'],
    [
      'an HS code outside the nomenclature',
      { lines: [teeLine('10.00', { hsCode: '990000' })] },
      'lines.0.hsCode',
    ],
    ['a price beyond safe integers', { lines: [teeLine('90071992547409.92')] }, 'lines.0.unitPrice'],
    ['a line total beyond safe integers', { lines: [teeLine(MAX, { quantity: 2 })] }, 'lines.0.quantity'],
    ['a cart total beyond safe integers', { lines: [teeLine(MAX), teeLine(MAX)] }, 'lines'],
    ['an unknown field', { coupon: 'FREE' }, 'coupon'],
    ['a missing buyer', { buyer: undefined }, 'buyer'],
    ['an empty buyer name', { buyer: { name: ' ', address: berlinAddress('DE') } }, 'buyer.name'],
    [
      'a consignee outside the ship-to country',
      { consignee: { name: 'Anna Schmidt', address: berlinAddress('FR') } },
      'consignee.address.country',
    ],
    ['the same ship-from and ship-to', { shipFrom: { country: 'DE' } }, 'shipFrom.country'],
    ['both shipping preferences', { shipping: { deliveryPromiseDays: 5, priceCap: '30.00' } }, 'shipping'],
    ['a price cap with too many decimals', { shipping: { priceCap: '5.555' } }, 'shipping.priceCap'],
    ['an unknown Canadian province', { shipTo: { country: 'CA', region: 'XX' } }, 'shipTo.region'],
  ])('%s', async (_label, overrides, field) => {
    const before = await countQuotes();
    const res = await postQuote(cart(overrides));
    expect({ status: res.statusCode, error: res.json().error }).toMatchObject({
      status: 400,
      error: { code: 'VALIDATION_FAILED', field },
    });
    expect(res.json().error.message).toEqual(expect.any(String));
    expect(await countQuotes()).toBe(before);
  });

  it('refuses an unknown merchant with 422 naming merchantId', async () => {
    const before = await countQuotes();
    const res = await postQuote(cart({ merchantId: 'mer_does_not_exist' }));
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATION', field: 'merchantId' });
    expect(await countQuotes()).toBe(before);
  });

  it.each<[string, Json, string]>([
    ['a price cap no service meets', { shipping: { priceCap: '0.01' } }, 'shipping.priceCap'],
    ['a promise no service meets', { shipping: { deliveryPromiseDays: 1 } }, 'shipping.deliveryPromiseDays'],
    [
      'a consignment over every weight limit',
      { lines: [teeLine('10.00', { weightGrams: 31_000 })] },
      'lines',
    ],
    ['a lane the carrier does not serve', { shipFrom: { country: 'FR' } }, 'shipTo.country'],
  ])('refuses %s with 422', async (_label, overrides, field) => {
    const before = await countQuotes();
    const res = await postQuote(cart(overrides));
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATION', field });
    expect(await countQuotes()).toBe(before);
  });
});

describe('roles', () => {
  it.each(['support', 'finance', 'admin'] as const)('%s may not create a quote', async (role) => {
    const before = await countQuotes();
    const res = await postQuote(cart(), role);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await countQuotes()).toBe(before);
  });

  it('refuses a request without a key before reading the body', async () => {
    const before = await countQuotes();
    const res = await api.app.inject({ method: 'POST', url: '/v1/quotes', payload: cart() });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'authorization' });
    const read = await api.app.inject({ method: 'GET', url: '/v1/quotes/qt_000000000000000000000000' });
    expect(read.statusCode).toBe(401);
    expect(await countQuotes()).toBe(before);
  });

  it('admin may not read quotes', async () => {
    const created = (await postQuote(cart())).json();
    expect((await getQuote(created.id, 'admin')).statusCode).toBe(403);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.paths['/v1/quotes'].post.description).toMatch(/price lock/);
    expect(doc.paths['/v1/quotes'].post.description).toMatch(/Roles: checkout\./);
    expect(doc.paths['/v1/quotes/{id}'].get.description).toMatch(/Roles: checkout, support, finance\./);
  });
});

describe('expiry comes from QUOTE_TTL_SECONDS', () => {
  it('defaults to 1800 seconds', () => {
    expect(loadConfig({}).QUOTE_TTL_SECONDS).toBe(1800);
  });

  it('sets expiresAt from the configured TTL and reads an expired quote as EXPIRED', async () => {
    const config = loadConfig({ QUOTE_TTL_SECONDS: '120' });
    const shortLived = await startTestApi({ quoteTtlSeconds: config.QUOTE_TTL_SECONDS });
    try {
      const res = await shortLived.app.inject({
        method: 'POST',
        url: '/v1/quotes',
        headers: shortLived.auth('checkout'),
        payload: cart(),
      });
      expect(res.statusCode).toBe(201);
      const quote = res.json();
      expect(Date.parse(quote.expiresAt) - Date.parse(quote.createdAt)).toBe(120_000);

      // Move the quote's expiry into the past: it reads as EXPIRED (never stored as such).
      const createdAt = new Date(quote.createdAt);
      await shortLived.db.quote.update({
        where: { id: quote.id },
        data: { expiresAt: new Date(createdAt.getTime() + 1) },
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const read = await shortLived.app.inject({
        method: 'GET',
        url: `/v1/quotes/${quote.id}`,
        headers: shortLived.auth('support'),
      });
      expect(read.json().status).toBe('EXPIRED');
      const row = await shortLived.db.quote.findUniqueOrThrow({ where: { id: quote.id } });
      expect(row.status).toBe('OPEN');
    } finally {
      await shortLived.close();
    }
  });

  it('refuses a TTL outside 1..86400 seconds', () => {
    expect(() => loadConfig({ QUOTE_TTL_SECONDS: '0' })).toThrow(/QUOTE_TTL_SECONDS/);
    expect(() => loadConfig({ QUOTE_TTL_SECONDS: '90000' })).toThrow(/QUOTE_TTL_SECONDS/);
  });
});

describe('Idempotency-Key: a retried request issues one quote', () => {
  const post = (payload: Json, key: string, authorization = api.auth('checkout').authorization) =>
    api.app.inject({
      method: 'POST',
      url: '/v1/quotes',
      headers: { authorization, 'idempotency-key': key },
      payload,
    });

  it('answers the quote it issued to a repeat (200), and refuses the key with another body (409)', async () => {
    const key = uniqueId('qk');
    const before = await countQuotes();
    const first = await post(cart(), key);
    expect(first.statusCode).toBe(201);
    const again = await post(cart(), key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await countQuotes()).toBe(before + 1);

    const other = await post(cart({ lines: [teeLine('29.99')] }), key);
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({
      error: { code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotency-key' },
    });
    expect(await countQuotes()).toBe(before + 1);
    // Without a key, every request is a new quote.
    const [a, b] = [await postQuote(cart()), await postQuote(cart())];
    expect(a.json().id).not.toBe(b.json().id);
  });

  it('issues one quote for two requests at once, and keeps two callers with the same key apart', async () => {
    const key = uniqueId('qk');
    const before = await countQuotes();
    const [a, b] = await Promise.all([post(cart(), key), post(cart(), key)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);

    const otherCheckout = (await api.keys.create({ name: 'second checkout', role: 'checkout' })).key;
    const theirs = await post(cart(), key, `Bearer ${otherCheckout}`);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(a.json().id);
    expect(await countQuotes()).toBe(before + 2);
  });

  it('answers a used quote as it is now, and refuses a malformed key', async () => {
    const key = uniqueId('qk');
    const first = await post(cart(), key);
    // An order has used it since.
    const orderId = uniqueId('ord');
    await api.db.quote.update({
      where: { id: first.json().id },
      data: { status: 'CONSUMED', consumedByOrderId: orderId, consumedAt: new Date() },
    });
    const again = await post(cart(), key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      id: first.json().id,
      status: 'CONSUMED',
      consumedByOrderId: orderId,
    });
    const bad = await post(cart(), 'not a key!');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toMatch(/idempotency-key/);
  });
});
