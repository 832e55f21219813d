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
  return desk.quotes.create(draft);
}
