import { AppError } from '../../../../src/errors';
import {
  consignmentParcel,
  issueQuote,
  issueQuoteOnce,
  type QuoteDesk,
  type QuoteDraft,
  type QuoteRequest,
  quoteStatus,
  requestFieldOf,
  type StoredQuote,
  toRequestError,
} from '../../../../src/domain/quotes';
import { SAMPLE_RATE_CARDS, SAMPLE_ZONES } from '../../../../src/domain/shipping';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../../../../src/infra/fx';

const AT = new Date('2026-11-25T12:00:00Z');

function desk(merchants: string[] = ['mer_1']): QuoteDesk & { created: QuoteDraft[] } {
  const created: QuoteDraft[] = [];
  return {
    created,
    merchants: { exists: async (id) => merchants.includes(id) },
    quotes: {
      create: async (draft): Promise<StoredQuote> => {
        created.push(draft);
        return {
          ...draft,
          id: 'qt_0123456789abcdef01234567',
          lockStatus: 'OPEN',
          consumedByOrderId: null,
          consumedAt: null,
        };
      },
      find: async () => null,
    },
    fx: new ReferenceRateSource(ECB_SAMPLE_DAYS),
    carrier: { rateCards: SAMPLE_RATE_CARDS, zones: SAMPLE_ZONES },
    ttlSeconds: 600,
  };
}

const party = { name: 'Anna Schmidt', address: { line1: 'Hauptstraße 1', city: 'Berlin', country: 'DE' } };
const request = (overrides: Partial<QuoteRequest> = {}): QuoteRequest => ({
  merchantId: 'mer_1',
  currency: 'EUR',
  incoterm: 'DDP',
  shipFrom: { country: 'US' },
  shipTo: { country: 'DE' },
  lines: [
    {
      sku: 'TEE-COT-001',
      description: 'Organic cotton T-shirt',
      hsCode: '6109100012',
      originCountry: 'VN',
      unitPrice: '19.99',
      quantity: 2,
      weightGrams: 180,
    },
  ],
  buyer: party,
  consignee: party,
  ...overrides,
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('issueQuote', () => {
  it('computes and stores one quote whose lock amount is the DDP total', async () => {
    const d = desk();
    const quote = await issueQuote(d, request(), AT);
    expect(d.created).toHaveLength(1);
    const { totals } = quote.breakdown;
    expect(quote.chargeNow).toEqual(totals.chargeNow);
    expect(quote.chargeNow.amount).toBe(
      totals.goods.amount + totals.shipping.amount + totals.duties.amount + totals.taxes.amount,
    );
    expect(quote.dueOnDelivery).toEqual({ amount: 0, currency: 'EUR' });
    expect(quote.expiresAt.getTime() - quote.createdAt.getTime()).toBe(600_000);
    expect(quote.createdAt).toEqual(AT);
    expect(quote.breakdown.quoteTime).toBe(AT.toISOString());
    expect(quote.breakdown.shipping.shipDate).toBe('2026-11-25');
  });

  it('refuses an unknown merchant before fetching rates or storing anything', async () => {
    const d = desk([]);
    const fetch = jest.spyOn(d.fx, 'ratesFor');
    const error = await refusal(issueQuote(d, request(), AT));
    expect(error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATION', field: 'merchantId' });
    expect(fetch).not.toHaveBeenCalled();
    expect(d.created).toHaveLength(0);
  });

  it('checks the request before looking up the merchant', async () => {
    const d = desk([]);
    const error = await refusal(issueQuote(d, request({ currency: 'XYZ' }), AT));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'currency' });
  });

  it('names the cart currency when the rate source does not quote it', async () => {
    const d = desk();
    const error = await refusal(
      issueQuote(d, request({ currency: 'XOF', lines: [{ ...request().lines[0]!, unitPrice: '2000' }] }), AT),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'currency' });
    expect(d.created).toHaveLength(0);
  });

  it('reports a denied-party match on the request field buyer.name', async () => {
    const d = desk();
    const quote = await issueQuote(
      d,
      request({ buyer: { ...party, name: 'Zephyr Quantum Logistics Ltd' } }),
      AT,
    );
    expect(quote.screeningDecision).toBe('REVIEW');
    expect(quote.breakdown.screening.reasons.map((r) => r.field)).toEqual(['buyer.name']);
  });
});

describe('request fields', () => {
  it.each([
    ['parties.0.name', 'buyer.name'],
    ['parties.1.address.country', 'consignee.address.country'],
    ['destinationCountry', 'shipTo.country'],
    ['origin', 'shipFrom.country'],
    ['lines.3.unitPrice', 'lines.3.unitPrice'],
    ['currency', 'currency'],
    ['fxRates.rates.0.rate', undefined],
    ['amount', undefined],
    ['parties.7.name', undefined],
  ])('%s is %s', (domain, expected) => {
    expect(requestFieldOf(domain)).toBe(expected);
  });

  it('turns an overflow on an internal amount into a 400 on lines, and other internal fields into 500', () => {
    const overflow = toRequestError(
      new AppError('VALIDATION_FAILED', 'amount 9007199254740993 exceeds the largest safe integer', {
        field: 'amount',
      }),
    );
    expect(overflow).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines' });
    const internal = toRequestError(
      new AppError('VALIDATION_FAILED', 'bad rate', { field: 'fxRates.rates.0' }),
    );
    expect(internal).toMatchObject({ code: 'INTERNAL' });
    const other = new Error('boom');
    expect(toRequestError(other)).toBe(other);
  });
});

describe('consignmentParcel', () => {
  const line = request().lines[0]!;
  it('bills by weight alone when no line has dimensions', () => {
    expect(consignmentParcel([line, { ...line, quantity: 3, weightGrams: 100 }])).toEqual({
      weightGrams: 660,
      lengthMm: 1,
      widthMm: 1,
      heightMm: 1,
    });
  });

  it('stacks units on the largest footprint', () => {
    expect(
      consignmentParcel([
        { ...line, dimensions: { lengthMm: 300, widthMm: 200, heightMm: 20 } },
        { ...line, quantity: 1, dimensions: { lengthMm: 250, widthMm: 250, heightMm: 50 } },
      ]),
    ).toEqual({ weightGrams: 540, lengthMm: 300, widthMm: 250, heightMm: 90 });
  });
});

describe('quoteStatus', () => {
  const expiresAt = new Date('2026-11-25T12:30:00Z');
  it('is OPEN before expiresAt, EXPIRED from it, CONSUMED once locked', () => {
    expect(quoteStatus({ lockStatus: 'OPEN', expiresAt }, new Date('2026-11-25T12:29:59.999Z'))).toBe('OPEN');
    expect(quoteStatus({ lockStatus: 'OPEN', expiresAt }, expiresAt)).toBe('EXPIRED');
    expect(quoteStatus({ lockStatus: 'CONSUMED', expiresAt }, new Date('2027-01-01T00:00:00Z'))).toBe(
      'CONSUMED',
    );
  });
});

describe('issueQuoteOnce (Idempotency-Key)', () => {
  const ID = 'qt_00000000000000000000000a';

  /** A desk whose repository stores by id; `racer` stores a quote under the id first, as a concurrent request would. */
  function keyedDesk(racer?: QuoteRequest) {
    const base = desk();
    const stored = new Map<string, StoredQuote>();
    const save = (draft: QuoteDraft, id: string): StoredQuote => {
      const quote: StoredQuote = {
        ...draft,
        id,
        lockStatus: 'OPEN',
        consumedByOrderId: null,
        consumedAt: null,
      };
      stored.set(id, quote);
      return quote;
    };
    const d: QuoteDesk = {
      ...base,
      quotes: {
        find: async (id) => stored.get(id) ?? null,
        create: async (draft, id) => {
          if (id === undefined) throw new Error('issueQuoteOnce always gives the id');
          if (racer !== undefined && !stored.has(id)) save({ ...draft, request: racer }, id);
          return stored.has(id) ? null : save(draft, id);
        },
      },
    };
    return { d, stored };
  }

  it('issues the quote once; a repeat answers it, another request with the key is refused', async () => {
    const { d, stored } = keyedDesk();
    const first = await issueQuoteOnce(d, request(), AT, ID);
    expect(first).toMatchObject({ created: true, quote: { id: ID } });
    const again = await issueQuoteOnce(d, request(), new Date(AT.getTime() + 60_000), ID);
    expect(again).toEqual({ created: false, quote: first.quote });
    const error = await refusal(issueQuoteOnce(d, request({ incoterm: 'DAP' }), AT, ID));
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotency-key' });
    expect(stored.size).toBe(1);
  });

  it('answers the quote a concurrent request stored first, when it was made from the same request', async () => {
    const same = keyedDesk(request());
    expect(await issueQuoteOnce(same.d, request(), AT, ID)).toMatchObject({
      created: false,
      quote: { id: ID },
    });
    const other = keyedDesk(request({ incoterm: 'DAP' }));
    expect(await refusal(issueQuoteOnce(other.d, request(), AT, ID))).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });
});
