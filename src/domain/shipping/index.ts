export { chooseShippingService } from './choose';
export {
  addBusinessDays,
  billableWeightGrams,
  dimensionalWeightGrams,
  quoteServices,
  zoneFor,
} from './rates';
export { SAMPLE_RATE_CARDS, SAMPLE_ZONES } from './data/sample-rate-cards';
export type * from './types';
