import { AppError } from '../../errors';
import { HS_BY_CODE, type HsSubheading } from './data/hs-subheadings';

export interface HsCodeInfo {
  /** The code as given (digits only): 6-digit HS plus 0–4 digits of national extension. */
  readonly code: string;
  readonly chapter: string;
  readonly heading: string;
  readonly hs6: string;
  readonly subheading: HsSubheading;
}

const DIGITS = /^\d{6,10}$/;

/**
 * Checks an HS code's format (digits only, 6 to 10 digits: the 6-digit HS subheading plus a
 * national extension such as the EU's 8-digit CN, Japan's 9-digit or the US 10-digit line) and
 * its existence in the subheading table we ship. Errors name `field`.
 */
export function checkHsCode(code: unknown, field = 'hsCode'): HsCodeInfo {
  if (typeof code !== 'string' || !DIGITS.test(code)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'HS code must be 6 to 10 digits with no dots or spaces (6-digit HS subheading plus national extension)',
      { field, details: { hsCode: code } },
    );
  }
  const chapter = code.slice(0, 2);
  const chapterNumber = Number(chapter);
  if (chapterNumber < 1 || chapterNumber > 97 || chapterNumber === 77) {
    throw new AppError('VALIDATION_FAILED', `HS chapter ${chapter} does not exist`, {
      field,
      details: { hsCode: code },
    });
  }
  const hs6 = code.slice(0, 6);
  const subheading = HS_BY_CODE.get(hs6);
  if (subheading === undefined) {
    throw new AppError('VALIDATION_FAILED', `HS subheading ${hs6} is not in Borderline's subheading table`, {
      field,
      details: { hsCode: code, hs6 },
    });
  }
  return { code, chapter, heading: code.slice(0, 4), hs6, subheading };
}

export function isKnownHsCode(code: unknown): boolean {
  try {
    checkHsCode(code);
    return true;
  } catch {
    return false;
  }
}
