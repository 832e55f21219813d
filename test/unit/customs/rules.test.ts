import {
  declarationReference,
  describeVagueness,
  minimumUnitValue,
  reviewDeclaration,
  type DeclarationRequest,
} from '../../../src/domain/customs';
import { CATALOGUE } from '../../../src/domain/landed-cost/rules/catalogue';
import { AppError } from '../../../src/errors';
import { mrnCheckCharacter } from '../../../src/sandboxes/customs-broker/ids';
import { line, sampleDeclaration } from '../../helpers/customs-sandbox';

const codes = (request: DeclarationRequest) => reviewDeclaration(request).issues.map((issue) => issue.code);

describe('reviewDeclaration (the broker sandbox decides with it)', () => {
  it('accepts a complete, plausible declaration', () => {
    expect(reviewDeclaration(sampleDeclaration())).toEqual({ outcome: 'accepted', issues: [] });
  });

  it('accepts every product of the sample catalogue as a line of its own', () => {
    for (const product of CATALOGUE) {
      const request = sampleDeclaration({
        lines: [
          line({
            sku: product.sku,
            description: product.description,
            hsCode: product.hsCode,
            quantity: 1,
            weightGrams: product.weightGrams,
          }),
        ],
        declaredValue: { amount: 5_000, currency: 'EUR' },
        declaredWeightGrams: product.weightGrams,
      });
      expect({ sku: product.sku, review: reviewDeclaration(request) }).toEqual({
        sku: product.sku,
        review: { outcome: 'accepted', issues: [] },
      });
    }
  });

  it.each([
    ['6109.10', 'HS_CODE_FORMAT'],
    ['61091', 'HS_CODE_FORMAT'],
    ['61091000123', 'HS_CODE_FORMAT'],
    ['7700000000', 'HS_CODE_UNKNOWN'],
    ['9999990000', 'HS_CODE_UNKNOWN'],
    ['6109900000', 'HS_CODE_UNKNOWN'],
  ])('rejects HS code %s (%s), naming the line and field', (hsCode, code) => {
    const review = reviewDeclaration(
      sampleDeclaration({
        lines: [line({ hsCode })],
        declaredValue: undefined,
        declaredWeightGrams: undefined,
      }),
    );
    expect(review.outcome).toBe('rejected');
    expect(review.issues).toEqual([
      expect.objectContaining({ code, lineNumber: 1, field: 'lines.0.hsCode' }),
    ]);
  });

  it.each([
    [0, 'VALUE_NOT_POSITIVE'],
    [-100, 'VALUE_NOT_POSITIVE'],
    [150, 'UNIT_VALUE_IMPLAUSIBLE'], // 2 units at EUR 0.75
  ])('rejects a line value of %i minor units (%s)', (amount, code) => {
    const request = sampleDeclaration({
      lines: [line({ value: { amount, currency: 'EUR' } })],
      declaredValue: undefined,
      declaredWeightGrams: undefined,
    });
    expect(reviewDeclaration(request).outcome).toBe('rejected');
    expect(codes(request)).toEqual([code]);
  });

  it('judges the value per unit in the currency: JPY needs 100 yen a unit', () => {
    expect(minimumUnitValue('EUR')).toBe(100);
    expect(minimumUnitValue('JPY')).toBe(100);
    expect(minimumUnitValue('KWD')).toBe(1_000);
    const jpy = (amount: number) =>
      sampleDeclaration({
        currency: 'JPY',
        lines: [line({ quantity: 3, value: { amount, currency: 'JPY' } })],
        dutiesAndTaxesCollected: { amount: 0, currency: 'JPY' },
        declaredValue: undefined,
        declaredWeightGrams: undefined,
      });
    expect(codes(jpy(299))).toEqual(['UNIT_VALUE_IMPLAUSIBLE']);
    expect(codes(jpy(300))).toEqual([]);
  });

  it("rejects declared totals that disagree with the lines' sums", () => {
    expect(codes(sampleDeclaration({ declaredValue: { amount: 16_999, currency: 'EUR' } }))).toEqual([
      'TOTAL_VALUE_MISMATCH',
    ]);
    expect(codes(sampleDeclaration({ declaredValue: { amount: 17_000, currency: 'USD' } }))).toEqual([
      'TOTAL_VALUE_MISMATCH',
    ]);
    expect(codes(sampleDeclaration({ declaredWeightGrams: 1_000 }))).toEqual(['TOTAL_WEIGHT_MISMATCH']);
  });

  it('rejects a zero weight, a bad quantity, an unknown origin and line numbers out of order', () => {
    const request = sampleDeclaration({
      lines: [
        line({ lineNumber: 1, weightGrams: 0 }),
        line({ lineNumber: 3, quantity: 0, originCountry: 'XX' }),
      ],
      declaredValue: undefined,
      declaredWeightGrams: undefined,
    });
    expect(codes(request).sort()).toEqual(
      ['LINE_NUMBERS_INVALID', 'ORIGIN_COUNTRY_INVALID', 'QUANTITY_INVALID', 'WEIGHT_NOT_POSITIVE'].sort(),
    );
  });

  it('accepts taxes collected at the point of sale under DAP; rejects negative or foreign-currency duties', () => {
    // EU IOSS, GB up to GBP 135, AU low-value GST: VAT collected at checkout whatever the incoterm.
    expect(codes(sampleDeclaration({ incoterm: 'DAP' }))).toEqual([]);
    expect(
      codes(sampleDeclaration({ incoterm: 'DAP', dutiesAndTaxesCollected: { amount: 0, currency: 'EUR' } })),
    ).toEqual([]);
    expect(codes(sampleDeclaration({ dutiesAndTaxesCollected: { amount: -1, currency: 'EUR' } }))).toEqual([
      'DUTIES_NEGATIVE',
    ]);
    expect(codes(sampleDeclaration({ dutiesAndTaxesCollected: { amount: 10, currency: 'USD' } }))).toEqual([
      'DUTIES_CURRENCY_MISMATCH',
    ]);
    expect(
      codes(sampleDeclaration({ lines: [], declaredValue: undefined, declaredWeightGrams: undefined })),
    ).toEqual(['NO_LINES']);
  });

  it('asks for a correction (not a rejection) when only descriptions are vague', () => {
    const review = reviewDeclaration(
      sampleDeclaration({
        lines: [line({ description: 'Gift' })],
        declaredValue: undefined,
        declaredWeightGrams: undefined,
      }),
    );
    expect(review).toEqual({
      outcome: 'correction_requested',
      issues: [
        expect.objectContaining({
          code: 'DESCRIPTION_TOO_SHORT',
          lineNumber: 1,
          field: 'lines.0.description',
        }),
      ],
    });
  });

  it('rejects when a line is both vague and wrongly classified, listing both issues', () => {
    const review = reviewDeclaration(
      sampleDeclaration({
        lines: [line({ description: 'Sample goods', hsCode: '12345' })],
        declaredValue: undefined,
        declaredWeightGrams: undefined,
      }),
    );
    expect(review.outcome).toBe('rejected');
    expect(review.issues.map((issue) => issue.code)).toEqual(['HS_CODE_FORMAT', 'DESCRIPTION_VAGUE']);
  });
});

describe('describeVagueness (the description rule)', () => {
  it.each([
    ['Gift', 'DESCRIPTION_TOO_SHORT'],
    ['Clothing', 'DESCRIPTION_TOO_SHORT'],
    ['T-shirt', 'DESCRIPTION_TOO_SHORT'],
    ['500 g', 'DESCRIPTION_TOO_SHORT'],
    ['Sample goods', 'DESCRIPTION_VAGUE'],
    ['Spare parts', 'DESCRIPTION_VAGUE'],
    ['Personal effects', 'DESCRIPTION_VAGUE'],
    ['Various items', 'DESCRIPTION_VAGUE'],
    ['Gifts for my family', 'DESCRIPTION_VAGUE'],
    ['Parts for bicycle', 'DESCRIPTION_VAGUE'],
    ['Merchandise, no commercial value', 'DESCRIPTION_VAGUE'],
  ])('%j → %s', (description, code) => {
    expect(describeVagueness(description)?.code).toBe(code);
  });

  it.each([
    'Leather handbag',
    'Matte lipstick',
    "Men's cotton knitted T-shirt",
    'Gift set of cotton T-shirts',
    'Bicycle brake pads, rubber',
    'Smartphone 128 GB (lithium-ion battery inside)',
  ])('%j is specific enough', (description) => {
    expect(describeVagueness(description)).toBeNull();
  });
});

describe('declarationReference', () => {
  it('derives the reference from the order and the version', () => {
    expect(declarationReference('ord-1', 1)).toBe('order:ord-1:declaration:v1');
    expect(declarationReference('ord-1', 2)).toBe('order:ord-1:declaration:v2');
  });

  it.each([
    ['ord:1', 1],
    ['', 1],
    ['ord-1', 0],
    ['ord-1', 1.5],
  ])('refuses %j v%s', (orderId, version) => {
    expect(() => declarationReference(orderId, version)).toThrow(AppError);
  });
});

describe('movement reference check character (ISO 6346, as for EU MRNs)', () => {
  it('is one digit that changes when a character changes', () => {
    const base = '26US0A1B2C3D4E5F6';
    expect(mrnCheckCharacter(base)).toMatch(/^\d$/);
    const variants = ['26US0A1B2C3D4E5F7', '26US0A1B2C3D4E5G6', '27US0A1B2C3D4E5F6'];
    for (const variant of variants) expect(mrnCheckCharacter(variant)).not.toBe(mrnCheckCharacter(base));
  });
});
