import * as fc from 'fast-check';
import { jaroWinkler, nameSimilarity, normaliseName } from '../../../../src/domain/compliance';

describe('normaliseName', () => {
  test.each([
    ['Zephyr Quantum Logistics Ltd', ['logistics', 'quantum', 'zephyr']],
    ['ZEPHYR  quantum, logistics LIMITED.', ['logistics', 'quantum', 'zephyr']],
    ['Société Fictive d’Exportation Ardente SARL', ['ardente', 'dexportation', 'fictive', 'societe']],
    ['Müller & Söhne GmbH', ['muller', 'sohne']],
    ['Straße Ærø Łódź', ['aero', 'lodz', 'strasse']],
    ['Nebula Dual-Use Components Co., Limited', ['components', 'dual', 'nebula', 'use']],
    ['  ...  ', []],
  ])('%j → %j', (name, tokens) => {
    expect(normaliseName(name)).toEqual(tokens);
  });
});

describe('jaroWinkler', () => {
  test.each([
    ['martha', 'marhta', 0.961],
    ['dwayne', 'duane', 0.84],
    ['dixon', 'dicksonx', 0.813],
    ['abc', 'abc', 1],
    ['abc', 'xyz', 0],
    ['', 'abc', 0],
  ])('%s / %s ≈ %d', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });

  test('is symmetric and bounded', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const x = jaroWinkler(a, b);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
        expect(x).toBeCloseTo(jaroWinkler(b, a), 10);
      }),
    );
  });
});

describe('nameSimilarity', () => {
  test.each([
    ['Zephyr Quantum Logistics Ltd', 'Zephyr Quantum Logistics Limited', 1],
    ['Zephyr Quantum Logistics Ltd', 'logistics zephyr quantum', 1],
    ['José Ejemplo Ficticio', 'JOSE EJEMPLO-FICTICIO', 1],
  ])('%j and %j are the same name', (a, b, score) => {
    expect(nameSimilarity(a, b)).toBeCloseTo(score, 5);
  });

  test('typos score high but below identical', () => {
    const s = nameSimilarity('Zephyr Quantum Logistics', 'Zephir Quantum Logistic');
    expect(s).toBeGreaterThan(0.9);
    expect(s).toBeLessThan(1);
  });

  test('joined or split words still score in the review band', () => {
    expect(nameSimilarity('ZephyrQuantum Logistics', 'Zephyr Quantum Logistics Ltd')).toBeGreaterThan(0.85);
  });

  test('unrelated names score low', () => {
    expect(nameSimilarity('Maria Garcia Lopez', 'Zephyr Quantum Logistics')).toBeLessThan(0.7);
    expect(nameSimilarity('Acme Widgets Inc', 'Nebula Dual-Use Components')).toBeLessThan(0.7);
  });

  test('is symmetric', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        expect(nameSimilarity(a, b)).toBeCloseTo(nameSimilarity(b, a), 10);
      }),
    );
  });
});
