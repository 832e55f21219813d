import type { Money } from '../money/types';

/**
 * What the business needs from a customs broker: file the export/import declaration of an
 * order's consignment, learn customs' answer, and withdraw it when the order is cancelled
 * before the goods clear. Shaped like a broker's declaration API (submit / status / void); the
 * sandbox in src/sandboxes/customs-broker stands in for one.
 *
 * Failures are `AppError`s: `VALIDATION_FAILED` (the broker refused the request as malformed;
 * details.issues), `BUSINESS_RULE_VIOLATION` (refused in the declaration's state, e.g. voiding
 * one whose goods have cleared), `IDEMPOTENCY_KEY_REUSED` (same reference, other content),
 * `NOT_FOUND`, `RATE_LIMITED` and `DEPENDENCY_UNAVAILABLE` (5xx, connection lost, timeout:
 * retryable; a retry carries the same reference, so it never files a second declaration).
 *
 * Note that a declaration customs refuses is not an error: `submitDeclaration` succeeds and the
 * declaration (later) reads `rejected` or `correction_requested` with its issues.
 */
export interface CustomsBrokerPort {
  /** Same reference → the same declaration (idempotent), never a second one. */
  submitDeclaration(request: DeclarationRequest): Promise<Declaration>;
  getDeclaration(declarationId: string): Promise<Declaration>;
  /**
   * Withdraws a declaration (customs: "invalidation"). Idempotent: voiding a voided declaration
   * returns it. Refused (`BUSINESS_RULE_VIOLATION`) once the goods have cleared.
   */
  voidDeclaration(declarationId: string, reason: string): Promise<Declaration>;
}

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  /** State, province, prefecture or county, where the country uses one. */
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface DeclarationLine {
  /** 1, 2, 3 … in order. */
  lineNumber: number;
  sku: string;
  /** What the goods are, plainly: material, kind, use ("Men's cotton knitted T-shirt"). */
  description: string;
  /** 6 to 10 digits, no dots (see checkHsCode). */
  hsCode: string;
  /** ISO 3166-1 alpha-2 country where the goods were made. */
  originCountry: string;
  quantity: number;
  /** The line's value (all units), in the declaration's currency. */
  value: Money;
  /** The line's net weight (all units), in grams. */
  weightGrams: number;
}

export interface DeclarationRequest {
  /** The idempotency key, derived from the business operation: `order:<orderId>:declaration:v<n>`. */
  reference: string;
  orderId: string;
  exporter: { name: string; country: string };
  importer: { name: string; address: PostalAddress };
  /** ISO country codes. */
  shipFrom: string;
  shipTo: string;
  incoterm: 'DDP' | 'DAP';
  currency: string;
  lines: DeclarationLine[];
  /** What was collected at checkout (DDP), zero for DAP. */
  dutiesAndTaxesCollected: Money;
  /**
   * Optional: the invoice total of the goods as the merchant declares it. When given, it must
   * equal the sum of the lines' values (else the declaration is rejected).
   */
  declaredValue?: Money;
  /** Optional: the consignment's total net weight; when given it must equal the lines' sum. */
  declaredWeightGrams?: number;
}

export type DeclarationStatus = 'pending' | 'accepted' | 'rejected' | 'correction_requested' | 'voided';

export interface DeclarationIssue {
  /** Stable machine code, see DECLARATION_ISSUE_CODES. */
  code: string;
  message: string;
  lineNumber?: number;
  /** The offending request field, as a dotted path (`lines.2.hsCode`). */
  field?: string;
}

export interface Declaration {
  declarationId: string;
  reference: string;
  orderId: string;
  status: DeclarationStatus;
  issues: DeclarationIssue[];
  /** MRN-like movement reference (18 characters), once accepted. */
  movementReference?: string;
  /** ISO 8601. */
  submittedAt: string;
  updatedAt: string;
  /** When the goods cleared customs; a cleared declaration can no longer be voided. */
  clearedAt?: string;
  voidedAt?: string;
  voidReason?: string;
}
