export type { CurrencyCode, Money } from './types';
export { allCurrencyCodes, currencyInfo, isCurrencyCode } from './currencies';
export type { CurrencyInfo } from './currencies';
export {
  add,
  assertMoney,
  compare,
  equals,
  formatMoney,
  isNegative,
  money,
  multiply,
  negate,
  parseMoney,
  subtract,
  sum,
  times,
  toSafeAmount,
  zero,
} from './money';
export { allocate, split } from './allocate';
export { convert, convertWithRate, exactRate, findRate, validateFxTable } from './fx';
export type { FxConversion, FxRate, FxRateTable } from './fx';
export { CROSS_RATE_SIGNIFICANT_DIGITS, ratesFromBaseTable, toSignificantDecimal } from './fx-source';
export type { BaseRateTable, FxRateAnswer, FxRateRequest, FxRateSource, FxReference } from './fx-source';
export {
  addRational,
  basisPoints,
  compareRational,
  divideRounded,
  formatRational,
  invert,
  isZeroRational,
  mulRational,
  parseDecimal,
  percent,
  rational,
  ROUNDING_MODES,
} from './rational';
export type { Rational, RoundingMode } from './rational';
