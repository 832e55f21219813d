export { screenOrder, DEFAULT_THRESHOLDS } from './screen';
export type {
  PartyMatch,
  ScreeningDecision,
  ScreeningLine,
  ScreeningParty,
  ScreeningReason,
  ScreeningResult,
  ScreenOrderInput,
  TransportMode,
} from './screen';
export { checkHsCode, isKnownHsCode } from './hs-code';
export type { HsCodeInfo } from './hs-code';
export { jaroWinkler, nameSimilarity, normaliseName } from './name-matching';
export { HS_SUBHEADINGS } from './data/hs-subheadings';
export type { GoodsTrait, HsSubheading } from './data/hs-subheadings';
export { SAMPLE_DENIED_PARTIES } from './data/denied-parties';
export type { DeniedParty } from './data/denied-parties';
export { RESTRICTION_RULES, EMBARGOED_DESTINATIONS } from './data/restrictions';
export { isCountryCode, ISO_COUNTRY_CODES } from './data/countries';
