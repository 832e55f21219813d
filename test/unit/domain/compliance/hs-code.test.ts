import { checkHsCode, HS_SUBHEADINGS, isKnownHsCode } from '../../../../src/domain/compliance';
import { CATALOGUE, MFN_ROWS } from '../../../../src/domain/landed-cost';
import { AppError } from '../../../../src/errors';

describe('HS code format and existence', () => {
  test.each([
    ['610910', '610910', '6109', '61'],
    ['61091000', '610910', '6109', '61'],
    ['610910001', '610910', '6109', '61'],
    ['6109100012', '610910', '6109', '61'],
    ['0901210020', '090121', '0901', '09'],
  ])('%s is valid (subheading %s)', (code, hs6, heading, chapter) => {
    expect(checkHsCode(code)).toMatchObject({ code, hs6, heading, chapter });
  });

  test.each([
    ['61091', 'too short'],
    ['61091000123', 'too long'],
    ['6109.10', 'dots'],
    ['6109 10', 'spaces'],
    ['61091A', 'letters'],
    ['', 'empty'],
    ['000000', 'chapter 00'],
    ['770000', 'chapter 77 is reserved'],
    ['980000', 'chapter 98 is national'],
    ['010121', 'not in the table'],
  ])('%j is refused (%s) with the field', (code) => {
    try {
      checkHsCode(code, 'lines.3.hsCode');
      throw new Error('should fail');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).field).toBe('lines.3.hsCode');
    }
  });

  test('non-strings are refused', () => {
    expect(isKnownHsCode(610910)).toBe(false);
    expect(isKnownHsCode(null)).toBe(false);
  });

  test('every catalogue product and every rate row points at a known subheading; at least 30 products', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
    for (const p of CATALOGUE) expect(isKnownHsCode(p.hsCode)).toBe(true);
    const known = new Set(HS_SUBHEADINGS.map((h) => h.hs6));
    for (const r of MFN_ROWS) expect(known.has(r.hs6)).toBe(true);
    for (const p of CATALOGUE) expect(MFN_ROWS.some((r) => r.hs6 === p.hsCode.slice(0, 6))).toBe(true);
    const categories = new Set(CATALOGUE.map((p) => p.category));
    for (const c of ['clothing', 'electronics', 'cosmetics', 'toys', 'food', 'jewellery'])
      expect(categories.has(c as never)).toBe(true);
  });
});
