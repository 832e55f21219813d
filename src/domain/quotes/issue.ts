import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../../errors';
import type { FxRateSource } from '../money';
import { buildQuote } from './build';
import type { MerchantDirectory, QuoteRepository, StoredQuote } from './ports';
import { prepareQuote } from './prepare';
import type { CarrierRates } from './shipping';
import type { QuoteRequest } from './types';

/** What issuing a quote needs from outside the domain. */
export interface QuoteDesk {
  readonly merchants: MerchantDirectory;
  readonly quotes: QuoteRepository;
  readonly fx: FxRateSource;
  readonly carrier: CarrierRates;
  /** How long a quote's price lock holds (QUOTE_TTL_SECONDS). */
  readonly ttlSeconds: number;
}

/**
 * Issues a quote: checks the request (400 naming the field), that the merchant exists (422 on
 * `merchantId`), fetches the exchange rates in force at `quoteTime`, computes, then stores. Every
 * refusal happens before the one write, so a refused request leaves nothing behind.
 */
export async function issueQuote(
  desk: QuoteDesk,
  request: QuoteRequest,
  quoteTime: Date,
): Promise<StoredQuote> {
  const quote = await issue(desk, request, quoteTime, undefined);
  if (quote === null) throw new AppError('INTERNAL', 'a new quote was not stored; retry');
  return quote;
}

/**
 * Issues the quote of an Idempotency-Key, once: `id` is the id the key maps to. The first request
 * issues it (`created`); a repeat with the same request answers the stored quote as it is now
 * (its price lock unchanged, maybe used or expired since); a repeat with another request is
 * refused (409 IDEMPOTENCY_KEY_REUSED) and stores nothing. Two requests at once store one quote.
 */
export async function issueQuoteOnce(
  desk: QuoteDesk,
  request: QuoteRequest,
  quoteTime: Date,
  id: string,
): Promise<{ quote: StoredQuote; created: boolean }> {
  const existing = await desk.quotes.find(id);
  if (existing !== null) return { quote: sameRequestOrRefuse(existing, request), created: false };
  const quote = await issue(desk, request, quoteTime, id);
  if (quote !== null) return { quote, created: true };
  const raced = await desk.quotes.find(id);
  if (raced === null) throw new AppError('INTERNAL', `quote ${id} neither stored nor found; retry`);
  return { quote: sameRequestOrRefuse(raced, request), created: false };
}

async function issue(
  desk: QuoteDesk,
  request: QuoteRequest,
  quoteTime: Date,
  id: string | undefined,
): Promise<StoredQuote | null> {
  const carrierCurrencies = [...new Set(desk.carrier.rateCards.map((card) => card.currency))];
  const prepared = prepareQuote(request, quoteTime, carrierCurrencies);

  if (!(await desk.merchants.exists(request.merchantId))) {
    throw new AppError('BUSINESS_RULE_VIOLATION', `merchant ${request.merchantId} does not exist`, {
      field: 'merchantId',
    });
  }

  const fx = await desk.fx.ratesFor({ currencies: prepared.currencies, at: quoteTime });
  if (fx.unsupported.includes(prepared.cart.currency)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${prepared.cart.currency} cannot be quoted: the exchange-rate source has no rate for it`,
      { field: 'currency', details: { source: fx.reference.source } },
    );
  }
  if (fx.unsupported.length > 0) {
    throw new AppError('INTERNAL', `no exchange rate for ${fx.unsupported.join(', ')}`);
  }

  const draft = buildQuote(prepared, { fx, carrier: desk.carrier, ttlSeconds: desk.ttlSeconds });
  return desk.quotes.create(draft, id);
}

/** The stored quote, when it was made from this request (compared as JSON); else 409. */
function sameRequestOrRefuse(stored: StoredQuote, request: QuoteRequest): StoredQuote {
  const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
  if (!isDeepStrictEqual(asJson(stored.request), asJson(request))) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key already issued quote ${stored.id} for another request; use a new key for a new quote`,
      { field: 'idempotency-key', details: { quoteId: stored.id } },
    );
  }
  return stored;
}
