import { AppError } from '../../errors';
import { isCountryCode } from '../compliance';
import { type CartLine, validateLandedCostInput, type ValidLandedCostInput } from '../landed-cost';
import { type Money, parseMoney } from '../money';
import { inRequestTerms } from './fields';
import type { QuoteParty, QuoteRequest, ShippingChoiceRule } from './types';

/** The longest delivery promise accepted, in business days. */
export const MAX_DELIVERY_PROMISE_DAYS = 90;

/** A request that passed every check that needs no I/O. */
export interface PreparedQuote {
  readonly request: QuoteRequest;
  readonly quoteTime: Date;
  readonly cart: ValidLandedCostInput;
  readonly cartLines: readonly CartLine[];
  readonly shippingRule: ShippingChoiceRule;
  /** Every currency the quote converts between (cart, destination, carrier). */
  readonly currencies: readonly string[];
}

function fail(field: string, message: string, details?: Record<string, unknown>): never {
  throw new AppError('VALIDATION_FAILED', message, details === undefined ? { field } : { field, details });
}

function checkParty(party: QuoteParty, role: 'buyer' | 'consignee'): void {
  if (typeof party?.name !== 'string' || party.name.trim() === '')
    fail(`${role}.name`, 'name must not be empty');
  if (!isCountryCode(party.address?.country)) {
    fail(
      `${role}.address.country`,
      `${String(party.address?.country)} is not an ISO 3166-1 alpha-2 country code`,
    );
  }
}

function shippingRuleOf(request: QuoteRequest, currency: string): ShippingChoiceRule {
  const preference = request.shipping ?? {};
  const { deliveryPromiseDays, priceCap } = preference;
  if (deliveryPromiseDays !== undefined && priceCap !== undefined) {
    fail('shipping', 'give either deliveryPromiseDays or priceCap, not both');
  }
  if (deliveryPromiseDays !== undefined) {
    if (
      !Number.isSafeInteger(deliveryPromiseDays) ||
      deliveryPromiseDays < 1 ||
      deliveryPromiseDays > MAX_DELIVERY_PROMISE_DAYS
    ) {
      fail('shipping.deliveryPromiseDays', `must be an integer from 1 to ${MAX_DELIVERY_PROMISE_DAYS}`);
    }
    return { kind: 'CHEAPEST_WITHIN_PROMISE', deliveryPromiseDays };
  }
  if (priceCap !== undefined) {
    const cap: Money = parseMoney(priceCap, currency, 'shipping.priceCap');
    if (cap.amount < 0) fail('shipping.priceCap', 'must not be negative');
    return { kind: 'FASTEST_WITHIN_CAP', priceCap: cap };
  }
  return { kind: 'CHEAPEST' };
}

/**
 * Checks a quote request without I/O and in the request's own terms: currency, countries,
 * supported destination, every line (HS code, origin, price precision, quantity, weight), the
 * parties and the shipping preference. Errors are 400s naming the field, e.g. `lines.2.unitPrice`.
 */
export function prepareQuote(
  request: QuoteRequest,
  quoteTime: Date,
  carrierCurrencies: readonly string[],
): PreparedQuote {
  return inRequestTerms(() => {
    if (!Array.isArray(request.lines) || request.lines.length === 0) {
      fail('lines', 'the cart must have at least one line');
    }
    const cartLines: CartLine[] = request.lines.map((line) => ({
      sku: line.sku,
      description: line.description,
      hsCode: line.hsCode,
      originCountry: line.originCountry,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      weightGrams: line.weightGrams,
    }));
    const cart = validateLandedCostInput({
      lines: cartLines,
      shipFrom: { country: request.shipFrom?.country },
      shipTo: { country: request.shipTo?.country, region: request.shipTo?.region },
      incoterm: request.incoterm,
      currency: request.currency,
      // Shipping is priced later; zero keeps the cart check independent of it.
      shippingCost: '0',
      quoteTime,
      fxRates: { rates: [] },
    });

    let goods = 0n;
    for (const line of cart.lines) goods += BigInt(line.goods.amount);
    if (goods > BigInt(Number.MAX_SAFE_INTEGER)) {
      fail('lines', 'the cart total exceeds the largest safe integer of minor units; nothing is rounded', {
        max: Number.MAX_SAFE_INTEGER,
      });
    }
    request.lines.forEach((line, i) => {
      if (line.dimensions === undefined) return;
      for (const side of ['lengthMm', 'widthMm', 'heightMm'] as const) {
        const value = line.dimensions[side];
        if (!Number.isSafeInteger(value) || value <= 0) {
          fail(`lines.${i}.dimensions.${side}`, `${side} must be a positive integer`);
        }
      }
    });

    checkParty(request.buyer, 'buyer');
    checkParty(request.consignee, 'consignee');
    if (request.consignee.address.country !== cart.shipTo) {
      fail(
        'consignee.address.country',
        `the consignee receives the goods, so their country must be the ship-to country ${cart.shipTo}`,
      );
    }
    if (request.shipFrom.region !== undefined && request.shipFrom.region.trim() === '') {
      fail('shipFrom.region', 'region must not be empty when given');
    }

    const shippingRule = shippingRuleOf(request, cart.currency);
    const destinationCurrency = cart.market.currency;
    return {
      request,
      quoteTime,
      cart,
      cartLines,
      shippingRule,
      currencies: [...new Set([cart.currency, destinationCurrency, ...carrierCurrencies])].sort(),
    };
  });
}
