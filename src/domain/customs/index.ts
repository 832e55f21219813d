export type {
  CustomsBrokerPort,
  Declaration,
  DeclarationIssue,
  DeclarationLine,
  DeclarationRequest,
  DeclarationStatus,
  PostalAddress,
} from './port';
export {
  DECLARATION_ISSUE_CODES,
  MIN_UNIT_VALUE_MAJOR,
  VAGUE_TERMS,
  describeVagueness,
  descriptionWords,
  minimumUnitValue,
  reviewDeclaration,
} from './rules';
export type { DeclarationIssueCode, DeclarationReview, IssueSeverity, ReviewOutcome } from './rules';
export { declarationReference } from './references';
