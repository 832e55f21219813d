import { AppError } from '../../errors';
import { checkHsCode, type HsCodeInfo } from '../compliance/hs-code';
import { isCountryCode } from '../compliance/data/countries';
import { assertMoney, currencyInfo, type Money, parseMoney, times, validateFxTable } from '../money';
import { CATALOGUE_BY_SKU } from './rules/catalogue';
import { MFN_BY_HS6 } from './rules/duty-rates';
import {
  CA_REGIONS,
  MARKETS,
  marketOfCountry,
  type MarketProfile,
  supportedDestinations,
} from './rules/markets';
import type { TaxCategory } from './rules/types';
import type { CartLine, Incoterm, LandedCostInput } from './types';

export interface ValidLine {
  readonly index: number;
  readonly sku: string;
  readonly description: string;
  readonly hs: HsCodeInfo;
  readonly originCountry: string;
  readonly unitPrice: Money;
  readonly quantity: number;
  readonly weightGrams: number;
  readonly goods: Money;
  readonly taxCategory: TaxCategory;
}

export interface ValidInput {
  readonly lines: readonly ValidLine[];
  readonly shipFrom: string;
  readonly shipTo: string;
  readonly region: string | null;
  readonly market: MarketProfile;
  readonly incoterm: Incoterm;
  readonly currency: string;
  readonly shippingCost: Money;
  readonly quoteTime: Date;
}

const TAX_CATEGORIES: readonly TaxCategory[] = ['standard', 'food', 'childrenClothing', 'books'];

function fail(field: string, message: string, details?: Record<string, unknown>): never {
  throw new AppError('VALIDATION_FAILED', message, details === undefined ? { field } : { field, details });
}

function country(value: unknown, field: string): string {
  if (!isCountryCode(value)) fail(field, `${String(value)} is not an ISO 3166-1 alpha-2 country code`);
  return value;
}

function price(value: unknown, currency: string, field: string): Money {
  const m = typeof value === 'string' ? parseMoney(value, currency, field) : assertMoney(value, field);
  if (m.currency !== currency) fail(`${field}.currency`, `must be in the cart currency ${currency}`);
  if (m.amount < 0) fail(field, 'must not be negative');
  return m;
}

function taxCategoryOf(line: CartLine, hs: HsCodeInfo, field: string): TaxCategory {
  if (line.taxCategory !== undefined) {
    if (!TAX_CATEGORIES.includes(line.taxCategory))
      fail(field, `taxCategory must be one of ${TAX_CATEGORIES.join(', ')}`);
    return line.taxCategory;
  }
  const known = CATALOGUE_BY_SKU.get(line.sku);
  if (known !== undefined && known.hsCode.slice(0, 6) === hs.hs6) return known.taxCategory;
  if (hs.subheading.traits.includes('FOOD')) return 'food';
  if (hs.heading === '4901') return 'books';
  if (hs.heading === '6111' || hs.heading === '6209') return 'childrenClothing';
  return 'standard';
}

/** Checks the whole request and normalises it; every error names the offending field. */
export function validateLandedCostInput(input: LandedCostInput): ValidInput {
  if (typeof input !== 'object' || input === null) fail('body', 'request must be an object');
  const currency = currencyInfo(input.currency, 'currency').code;

  if (!(input.quoteTime instanceof Date) || Number.isNaN(input.quoteTime.getTime())) {
    fail('quoteTime', 'quoteTime must be a valid Date');
  }
  if (input.incoterm !== 'DDP' && input.incoterm !== 'DAP') fail('incoterm', 'incoterm must be DDP or DAP');

  const shipFrom = country(input.shipFrom?.country, 'shipFrom.country');
  const shipTo = country(input.shipTo?.country, 'shipTo.country');
  const marketCode = marketOfCountry(shipTo);
  if (marketCode === undefined) {
    fail('shipTo.country', `destination ${shipTo} is not supported`, { supported: supportedDestinations() });
  }
  if (shipFrom === shipTo)
    fail('shipFrom.country', 'a cross-border quote needs different ship-from and ship-to countries');
  const market = MARKETS[marketCode];

  let region: string | null = null;
  if (input.shipTo.region !== undefined && input.shipTo.region !== null) {
    region = String(input.shipTo.region).toUpperCase();
    if (shipTo === 'CA' && !(CA_REGIONS as readonly string[]).includes(region)) {
      fail('shipTo.region', `${input.shipTo.region} is not a Canadian province or territory code`, {
        allowed: CA_REGIONS,
      });
    }
  }

  validateFxTable(input.fxRates, 'fxRates');

  if (!Array.isArray(input.lines) || input.lines.length === 0)
    fail('lines', 'the cart must have at least one line');
  const lines = input.lines.map((line, index): ValidLine => {
    const f = `lines.${index}`;
    if (typeof line !== 'object' || line === null) fail(f, 'line must be an object');
    if (typeof line.sku !== 'string' || line.sku.trim() === '')
      fail(`${f}.sku`, 'sku must be a non-empty string');
    const hs = checkHsCode(line.hsCode, `${f}.hsCode`);
    if (!MFN_BY_HS6.has(hs.hs6)) {
      fail(`${f}.hsCode`, `HS subheading ${hs.hs6} is known but cannot be quoted (no duty rates encoded)`, {
        hs6: hs.hs6,
      });
    }
    const originCountry = country(line.originCountry, `${f}.originCountry`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0)
      fail(`${f}.quantity`, 'quantity must be a positive integer');
    if (!Number.isSafeInteger(line.weightGrams) || line.weightGrams <= 0) {
      fail(`${f}.weightGrams`, 'weightGrams must be a positive integer');
    }
    const unitPrice = price(line.unitPrice, currency, `${f}.unitPrice`);
    return {
      index,
      sku: line.sku,
      description: typeof line.description === 'string' ? line.description : '',
      hs,
      originCountry,
      unitPrice,
      quantity: line.quantity,
      weightGrams: line.weightGrams,
      goods: times(unitPrice, line.quantity, `${f}.quantity`),
      taxCategory: taxCategoryOf(line, hs, `${f}.taxCategory`),
    };
  });

  const shippingCost = price(input.shippingCost, currency, 'shippingCost');
  return {
    lines,
    shipFrom,
    shipTo,
    region,
    market,
    incoterm: input.incoterm,
    currency,
    shippingCost,
    quoteTime: input.quoteTime,
  };
}
