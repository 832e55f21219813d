import { screenOrder, type ScreenOrderInput } from '../../../../src/domain/compliance';
import { AppError } from '../../../../src/errors';

const base = (overrides: Partial<ScreenOrderInput> = {}): ScreenOrderInput => ({
  parties: [
    { role: 'buyer', name: 'Anna Schmidt', address: { line1: 'Hauptstr. 1', city: 'Berlin', country: 'DE' } },
    {
      role: 'consignee',
      name: 'Anna Schmidt',
      address: { line1: 'Hauptstr. 1', city: 'Berlin', country: 'DE' },
    },
  ],
  lines: [{ hsCode: '6109100012', quantity: 2 }],
  destinationCountry: 'DE',
  transportMode: 'AIR',
  at: new Date('2026-07-01T00:00:00Z'),
  ...overrides,
});

describe('screenOrder', () => {
  test('a plain order is allowed', () => {
    const r = screenOrder(base());
    expect(r).toMatchObject({ decision: 'ALLOW', reasons: [], partyMatches: [] });
  });

  test('an exact denied-party name in the same country blocks, naming the party field', () => {
    const r = screenOrder(
      base({
        parties: [
          { role: 'buyer', name: 'Anna Schmidt', address: { country: 'DE' } },
          {
            role: 'consignee',
            name: 'ZEPHYR QUANTUM LOGISTICS LIMITED',
            address: { city: 'Port Fictional', country: 'AE' },
          },
        ],
      }),
    );
    expect(r.decision).toBe('BLOCK');
    expect(r.reasons[0]).toMatchObject({
      code: 'DENIED_PARTY_MATCH',
      severity: 'BLOCK',
      field: 'parties.1.name',
    });
    expect(r.partyMatches[0]).toMatchObject({ deniedPartyId: 'SAMPLE-001', score: 1, countryMatches: true });
  });

  test('a one-letter typo in each word still blocks in the same country', () => {
    const r = screenOrder(
      base({ parties: [{ role: 'buyer', name: 'Zephir Quantam Logistic', address: { country: 'AE' } }] }),
    );
    expect(r.decision).toBe('BLOCK');
  });

  test('initials match a full first name closely enough for review', () => {
    const r = screenOrder(
      base({ parties: [{ role: 'consignee', name: 'I. Samplenko', address: { country: 'RU' } }] }),
    );
    expect(r.decision).toBe('REVIEW');
    expect(r.partyMatches[0]).toMatchObject({ deniedPartyId: 'SAMPLE-002', field: 'parties.0.name' });
  });

  test('word order, diacritics and an alias still match', () => {
    const r = screenOrder(
      base({ parties: [{ role: 'buyer', name: 'Ficticio, Jose Ejemplo', address: { country: 'VE' } }] }),
    );
    expect(r.decision).toBe('BLOCK');
    const alias = screenOrder(
      base({ parties: [{ role: 'buyer', name: 'ZQL Trading', address: { country: 'AE' } }] }),
    );
    expect(alias.partyMatches[0]).toMatchObject({ deniedPartyId: 'SAMPLE-001', matchedName: 'ZQL Trading' });
  });

  test('the same name in another country goes to review, not block', () => {
    const r = screenOrder(
      base({ parties: [{ role: 'buyer', name: 'Zephyr Quantum Logistics', address: { country: 'DE' } }] }),
    );
    expect(r.decision).toBe('REVIEW');
    expect(r.reasons[0]).toMatchObject({ code: 'DENIED_PARTY_POSSIBLE_MATCH', severity: 'REVIEW' });
    expect(r.reasons[0]!.message).toMatch(/different country/);
  });

  test('a fuzzy score between the thresholds goes to review', () => {
    const r = screenOrder(
      base({
        parties: [{ role: 'buyer', name: 'Zephyr Quantum Logistics Group', address: { country: 'AE' } }],
      }),
    );
    const score = r.partyMatches[0]!.score;
    expect(score).toBeGreaterThanOrEqual(0.85);
    expect(score).toBeLessThan(0.95);
    expect(r.decision).toBe('REVIEW');
  });

  test('thresholds are adjustable and checked', () => {
    const strict = screenOrder(
      base({
        parties: [{ role: 'buyer', name: 'Zephyr Quantum Logistics Group', address: { country: 'AE' } }],
        thresholds: { review: 0.8, block: 0.9 },
      }),
    );
    expect(strict.decision).toBe('BLOCK');
    expect(() => screenOrder(base({ thresholds: { review: 0.9, block: 0.8 } }))).toThrow(AppError);
  });

  test.each([
    ['850760', 'AIR', 'DE', 'BLOCK', 'LITHIUM_ION_STANDALONE_BY_AIR'],
    ['850760', 'GROUND', 'DE', 'ALLOW', null],
    ['851713', 'AIR', 'DE', 'ALLOW', null],
    ['330300', 'AIR', 'US', 'REVIEW', 'FLAMMABLE_LIQUID_BY_AIR'],
    ['330300', 'GROUND', 'US', 'ALLOW', null],
    ['220421', 'GROUND', 'US', 'REVIEW', 'ALCOHOL_RESTRICTED'],
    ['821192', 'GROUND', 'GB', 'REVIEW', 'BLADED_ARTICLE_AGE_VERIFICATION'],
    ['821192', 'GROUND', 'DE', 'ALLOW', null],
    ['821193', 'GROUND', 'AU', 'REVIEW', 'BLADED_ARTICLE_PROHIBITED_TYPES'],
    ['240220', 'GROUND', 'AU', 'BLOCK', 'TOBACCO_PROHIBITED'],
    ['360410', 'GROUND', 'FR', 'BLOCK', 'EXPLOSIVES_PROHIBITED'],
    ['090121', 'AIR', 'AU', 'REVIEW', 'BIOSECURITY_IMPORT_CONDITIONS'],
  ] as const)('HS %s by %s to %s → %s', (hs6, mode, dest, decision, code) => {
    const r = screenOrder(
      base({ lines: [{ hsCode: `${hs6}0000`, quantity: 1 }], transportMode: mode, destinationCountry: dest }),
    );
    expect(r.decision).toBe(decision);
    if (code !== null) {
      expect(r.reasons.map((x) => x.code)).toContain(code);
      expect(r.reasons.find((x) => x.code === code)!.field).toBe('lines.0.hsCode');
      expect(r.rulesUsed.length).toBeGreaterThan(0);
    }
  });

  test('rules are dated: the UK knife rule does not exist before 2019-05-14', () => {
    const at = (d: string) =>
      screenOrder(
        base({
          lines: [{ hsCode: '8211920000', quantity: 1 }],
          destinationCountry: 'GB',
          at: new Date(`${d}T00:00:00Z`),
        }),
      );
    expect(at('2019-05-13').decision).toBe('ALLOW');
    expect(at('2019-05-14').decision).toBe('REVIEW');
  });

  test('embargoed destinations block; BLOCK beats REVIEW', () => {
    const r = screenOrder(base({ destinationCountry: 'KP', lines: [{ hsCode: '3303000000', quantity: 1 }] }));
    expect(r.decision).toBe('BLOCK');
    expect(r.reasons.map((x) => x.severity).sort()).toEqual(['BLOCK', 'REVIEW']);
  });

  test.each<[Partial<ScreenOrderInput>, string]>([
    [{ lines: [{ hsCode: '6109.10', quantity: 1 }] }, 'lines.0.hsCode'],
    [{ lines: [{ hsCode: '6109100012', quantity: 0 }] }, 'lines.0.quantity'],
    [{ lines: [] }, 'lines'],
    [{ parties: [] }, 'parties'],
    [{ parties: [{ role: 'buyer', name: ' ', address: { country: 'DE' } }] }, 'parties.0.name'],
    [{ parties: [{ role: 'buyer', name: 'A', address: { country: 'D' } }] }, 'parties.0.address.country'],
    [{ destinationCountry: 'XX' }, 'destinationCountry'],
    [{ transportMode: 'RAIL' as never }, 'transportMode'],
    [{ at: new Date('x') }, 'at'],
  ])('bad input %j names %s', (patch, field) => {
    try {
      screenOrder(base(patch));
      throw new Error('should fail');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).field).toBe(field);
    }
  });
});
