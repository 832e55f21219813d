import { checkHsCode } from '../compliance/hs-code';
import { isCountryCode } from '../compliance/data/countries';
import { currencyInfo } from '../money/currencies';
import type { Money } from '../money/types';
import type { DeclarationIssue, DeclarationRequest } from './port';

/**
 * How a broker (and customs behind it) reviews a declaration's content, as pure rules. The
 * customs-broker sandbox decides its outcomes with them, and the order saga can run them before
 * submitting to catch what would come back refused.
 *
 * Two kinds of issue:
 * - `reject`: customs refuses the declaration (bad HS code, values, weights, duties); a new
 *   declaration (a new `v<n>` reference) must be filed;
 * - `correct`: customs asks for a correction (the description does not say what the goods are).
 *
 * A declaration with any `reject` issue is `rejected` (all issues listed), else with any `correct`
 * issue `correction_requested`, else `accepted`.
 */
export type IssueSeverity = 'reject' | 'correct';

export const DECLARATION_ISSUE_CODES = {
  NO_LINES: 'reject',
  LINE_NUMBERS_INVALID: 'reject',
  HS_CODE_FORMAT: 'reject',
  HS_CODE_UNKNOWN: 'reject',
  ORIGIN_COUNTRY_INVALID: 'reject',
  QUANTITY_INVALID: 'reject',
  VALUE_CURRENCY_MISMATCH: 'reject',
  VALUE_NOT_POSITIVE: 'reject',
  UNIT_VALUE_IMPLAUSIBLE: 'reject',
  WEIGHT_NOT_POSITIVE: 'reject',
  TOTAL_VALUE_MISMATCH: 'reject',
  TOTAL_WEIGHT_MISMATCH: 'reject',
  DUTIES_CURRENCY_MISMATCH: 'reject',
  DUTIES_NEGATIVE: 'reject',
  DESCRIPTION_TOO_SHORT: 'correct',
  DESCRIPTION_VAGUE: 'correct',
} as const satisfies Record<string, IssueSeverity>;

export type DeclarationIssueCode = keyof typeof DECLARATION_ISSUE_CODES;

export type ReviewOutcome = 'accepted' | 'rejected' | 'correction_requested';

export interface DeclarationReview {
  outcome: ReviewOutcome;
  issues: DeclarationIssue[];
}

/**
 * The lowest plausible value per unit, in major units of the declaration's currency: below it a
 * customs officer suspects undervaluation. One major unit, except for currencies whose unit is
 * worth little (roughly USD 0.30–1 each).
 */
export const MIN_UNIT_VALUE_MAJOR: Readonly<Record<string, number>> = {
  JPY: 100,
  KRW: 1000,
  ISK: 100,
  CLP: 500,
  VND: 20_000,
  HUF: 300,
  IDR: 15_000,
  INR: 50,
  CNY: 5,
};

/** Minor units: the lowest plausible value of one unit in `currency`. */
export function minimumUnitValue(currency: string): number {
  const { exponent } = currencyInfo(currency);
  return (MIN_UNIT_VALUE_MAJOR[currency] ?? 1) * 10 ** exponent;
}

/**
 * Words that say nothing about what the goods are (customs and carriers list "gift", "sample",
 * "parts", "accessories", "goods", "merchandise"… as unacceptable descriptions on their own).
 */
export const VAGUE_TERMS: ReadonlySet<string> = new Set([
  'gift',
  'gifts',
  'present',
  'presents',
  'sample',
  'samples',
  'goods',
  'merchandise',
  'product',
  'products',
  'part',
  'parts',
  'spare',
  'spares',
  'accessory',
  'accessories',
  'item',
  'items',
  'stuff',
  'things',
  'misc',
  'miscellaneous',
  'various',
  'assorted',
  'general',
  'personal',
  'effects',
  'belongings',
  'commodity',
  'commodities',
  'material',
  'materials',
  'supplies',
  'equipment',
  'other',
  'use',
  'free',
  'commercial',
  'value',
]);

/** The catch-alls that need two specific words beside them ("gift for mother" is still vague). */
const CATCH_ALLS: ReadonlySet<string> = new Set([
  'gift',
  'gifts',
  'present',
  'presents',
  'sample',
  'samples',
  'goods',
  'merchandise',
  'part',
  'parts',
  'accessory',
  'accessories',
  'item',
  'items',
  'stuff',
  'things',
  'misc',
  'miscellaneous',
]);

const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'for',
  'with',
  'in',
  'on',
  'to',
  'no',
  'not',
  'non',
  'my',
  'our',
  'your',
  'his',
  'her',
  'their',
  'some',
  'or',
]);

/** Words of a description: runs of letters, lower-cased, of two letters or more (numbers and units like "g" are not words). */
export function descriptionWords(description: string): string[] {
  return (description.toLowerCase().match(/\p{L}+/gu) ?? []).filter((word) => word.length >= 2);
}

/**
 * The description rule (documented in src/sandboxes/customs-broker/README.md):
 * 1. fewer than 2 words → `DESCRIPTION_TOO_SHORT` ("Lipstick", "Clothing"; two words such as
 *    "Leather handbag" are enough when both are specific);
 * 2. no specific word (every word is a vague term or a stop word) → `DESCRIPTION_VAGUE`
 *    ("Gift", "Sample goods", "Spare parts", "Personal effects", "Various items");
 * 3. a catch-all (gift, sample, goods, parts, accessories, items…) with fewer than two specific
 *    words → `DESCRIPTION_VAGUE` ("Gift for mother", "Parts for bicycle").
 */
export function describeVagueness(
  description: string,
): { code: 'DESCRIPTION_TOO_SHORT' | 'DESCRIPTION_VAGUE'; message: string } | null {
  const words = descriptionWords(description);
  if (words.length < 2) {
    return {
      code: 'DESCRIPTION_TOO_SHORT',
      message: `"${description}" is too short: say what the goods are, what they are made of and what they are for`,
    };
  }
  const specific = words.filter((word) => !VAGUE_TERMS.has(word) && !STOP_WORDS.has(word));
  if (specific.length === 0) {
    return {
      code: 'DESCRIPTION_VAGUE',
      message: `"${description}" does not say what the goods are (terms like gift, sample, goods or parts are not descriptions)`,
    };
  }
  if (specific.length < 2 && words.some((word) => CATCH_ALLS.has(word))) {
    return {
      code: 'DESCRIPTION_VAGUE',
      message: `"${description}" is too general: name the goods themselves (e.g. "Men's cotton knitted T-shirt")`,
    };
  }
  return null;
}

function hsIssue(hsCode: string, lineNumber: number, field: string): DeclarationIssue | null {
  if (typeof hsCode !== 'string' || !/^\d{6,10}$/.test(hsCode)) {
    return {
      code: 'HS_CODE_FORMAT',
      message: `HS code ${JSON.stringify(hsCode)} must be 6 to 10 digits with no dots or spaces`,
      lineNumber,
      field,
    };
  }
  try {
    checkHsCode(hsCode, field);
    return null;
  } catch (error) {
    return {
      code: 'HS_CODE_UNKNOWN',
      message: error instanceof Error ? error.message : `HS code ${hsCode} is not in the tariff`,
      lineNumber,
      field,
    };
  }
}

function sameCurrency(value: Money, currency: string): boolean {
  return value.currency === currency;
}

/** Reviews a declaration's content. Pure; the same request always gets the same review. */
export function reviewDeclaration(request: DeclarationRequest): DeclarationReview {
  const issues: DeclarationIssue[] = [];
  const add = (code: DeclarationIssueCode, message: string, extra: Partial<DeclarationIssue> = {}) =>
    issues.push({ code, message, ...extra });
  const { currency, lines } = request;

  if (lines.length === 0) add('NO_LINES', 'a declaration needs at least one line', { field: 'lines' });
  const numbers = lines.map((line) => line.lineNumber);
  if (numbers.some((number, index) => number !== index + 1)) {
    add('LINE_NUMBERS_INVALID', 'line numbers must be 1, 2, 3 … in order', { field: 'lines' });
  }

  let valueTotal = 0;
  let weightTotal = 0;
  lines.forEach((line, index) => {
    const at = (name: string) => `lines.${index}.${name}`;
    const lineNumber = line.lineNumber;
    const hs = hsIssue(line.hsCode, lineNumber, at('hsCode'));
    if (hs) issues.push(hs);
    if (!isCountryCode(line.originCountry)) {
      add(
        'ORIGIN_COUNTRY_INVALID',
        `origin ${JSON.stringify(line.originCountry)} is not an ISO 3166-1 code`,
        {
          lineNumber,
          field: at('originCountry'),
        },
      );
    }
    const quantityOk = Number.isSafeInteger(line.quantity) && line.quantity > 0;
    if (!quantityOk) {
      add('QUANTITY_INVALID', 'quantity must be a positive whole number', {
        lineNumber,
        field: at('quantity'),
      });
    }
    if (!sameCurrency(line.value, currency)) {
      add(
        'VALUE_CURRENCY_MISMATCH',
        `the line's value is in ${line.value.currency}, the declaration in ${currency}`,
        {
          lineNumber,
          field: at('value.currency'),
        },
      );
    } else if (line.value.amount <= 0) {
      add('VALUE_NOT_POSITIVE', 'a line must declare a value above zero', { lineNumber, field: at('value') });
    } else if (quantityOk && line.value.amount < minimumUnitValue(currency) * line.quantity) {
      add(
        'UNIT_VALUE_IMPLAUSIBLE',
        `the value per unit (${line.value.amount / line.quantity} minor units of ${currency}) is implausibly low; ` +
          `customs expects at least ${minimumUnitValue(currency)}`,
        { lineNumber, field: at('value') },
      );
    }
    if (sameCurrency(line.value, currency)) valueTotal += line.value.amount;
    if (!(Number.isSafeInteger(line.weightGrams) && line.weightGrams > 0)) {
      add('WEIGHT_NOT_POSITIVE', 'a line must declare a net weight above zero grams', {
        lineNumber,
        field: at('weightGrams'),
      });
    } else {
      weightTotal += line.weightGrams;
    }
    const vague = describeVagueness(line.description);
    if (vague) add(vague.code, vague.message, { lineNumber, field: at('description') });
  });

  if (request.declaredValue !== undefined) {
    if (!sameCurrency(request.declaredValue, currency) || request.declaredValue.amount !== valueTotal) {
      add(
        'TOTAL_VALUE_MISMATCH',
        `the declared value (${request.declaredValue.amount} ${request.declaredValue.currency}) differs from the lines' sum (${valueTotal} ${currency})`,
        { field: 'declaredValue' },
      );
    }
  }
  if (request.declaredWeightGrams !== undefined && request.declaredWeightGrams !== weightTotal) {
    add(
      'TOTAL_WEIGHT_MISMATCH',
      `the declared weight (${request.declaredWeightGrams} g) differs from the lines' sum (${weightTotal} g)`,
      { field: 'declaredWeightGrams' },
    );
  }

  const duties = request.dutiesAndTaxesCollected;
  if (!sameCurrency(duties, currency)) {
    add(
      'DUTIES_CURRENCY_MISMATCH',
      `duties and taxes are in ${duties.currency}, the declaration in ${currency}`,
      {
        field: 'dutiesAndTaxesCollected.currency',
      },
    );
  } else if (duties.amount < 0) {
    add('DUTIES_NEGATIVE', 'duties and taxes collected cannot be negative', {
      field: 'dutiesAndTaxesCollected',
    });
  }
  // Under DAP the consignee pays what is due on delivery, but a DAP consignment may still carry
  // VAT collected at the point of sale (EU IOSS, GB up to GBP 135, AU low-value GST): what was
  // collected is declared as such, whatever the incoterm.

  const severities = issues.map((issue) => DECLARATION_ISSUE_CODES[issue.code as DeclarationIssueCode]);
  const outcome: ReviewOutcome = severities.includes('reject')
    ? 'rejected'
    : severities.includes('correct')
      ? 'correction_requested'
      : 'accepted';
  return { outcome, issues };
}
