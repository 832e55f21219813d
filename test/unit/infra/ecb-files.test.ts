import { AppError } from '../../../src/errors';
import { ECB_SAMPLE_DAYS, frankfurtAt16, parseEcbReferenceRates } from '../../../src/infra/fx';

/** eurofxref-daily.xml as the ECB serves it (shortened to a few currencies). */
const DAILY_XML = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2024-06-28'>
			<Cube currency='USD' rate='1.0705'/>
			<Cube currency='JPY' rate='171.94'/>
			<Cube currency='GBP' rate='0.84638'/>
		</Cube>
	</Cube>
</gesmes:Envelope>`;

/** eurofxref.csv: one day, its date written out, a trailing comma on each line. */
const DAILY_CSV = `Date, USD, JPY, GBP, \n28 June 2024, 1.0705, 171.94, 0.84638, \n`;

/** eurofxref-hist.csv: newest first, N/A where a currency had no rate, retired currencies. */
const HIST_CSV = [
  'Date,USD,JPY,CYP,ISK,',
  '2025-02-28,1.0411,156.96,N/A,145.70,',
  '2024-06-28,1.0705,171.94,N/A,148.90,',
  '2007-12-31,1.4721,164.93,0.585274,91.90,',
].join('\r\n');

describe('parseEcbReferenceRates', () => {
  test('the daily XML: one day, published at 16:00 Frankfurt time (14:00 UTC in summer)', () => {
    expect(parseEcbReferenceRates(DAILY_XML)).toEqual({
      days: [
        {
          base: 'EUR',
          date: '2024-06-28',
          publishedAt: '2024-06-28T14:00:00.000Z',
          source: 'ECB euro foreign exchange reference rates',
          rates: { GBP: '0.84638', JPY: '171.94', USD: '1.0705' },
        },
      ],
      skippedCurrencies: [],
    });
  });

  test('the daily CSV reads the same day as the XML', () => {
    expect(parseEcbReferenceRates(DAILY_CSV)).toEqual(parseEcbReferenceRates(DAILY_XML));
  });

  test('the historical CSV: oldest first, N/A left out, retired currencies left out and listed', () => {
    const parsed = parseEcbReferenceRates(HIST_CSV);
    expect(parsed.days.map((d) => [d.date, d.publishedAt, d.rates])).toEqual([
      ['2007-12-31', '2007-12-31T15:00:00.000Z', { ISK: '91.90', JPY: '164.93', USD: '1.4721' }],
      ['2024-06-28', '2024-06-28T14:00:00.000Z', { ISK: '148.90', JPY: '171.94', USD: '1.0705' }],
      ['2025-02-28', '2025-02-28T15:00:00.000Z', { ISK: '145.70', JPY: '156.96', USD: '1.0411' }],
    ]);
    expect(parsed.skippedCurrencies).toEqual(['CYP']);
  });

  test('a historical XML of several days, with the BOM of a saved file', () => {
    const xml =
      '\uFEFF<gesmes:Envelope><Cube>' +
      "<Cube time='2025-02-28'><Cube currency='USD' rate='1.0411'/></Cube>" +
      '<Cube time="2024-06-28"><Cube currency="USD" rate="1.0705"/></Cube>' +
      '</Cube></gesmes:Envelope>';
    expect(parseEcbReferenceRates(xml).days.map((d) => [d.date, d.rates.USD])).toEqual([
      ['2024-06-28', '1.0705'],
      ['2025-02-28', '1.0411'],
    ]);
  });

  test('the repository sample days are what the ECB file of those days reads', () => {
    const sample = ECB_SAMPLE_DAYS[0]!;
    const csv = `Date, ${Object.keys(sample.rates).join(', ')}, \n28 June 2024, ${Object.values(sample.rates).join(', ')}, \n`;
    const [day] = parseEcbReferenceRates(csv).days;
    expect(day).toEqual({ ...sample, rates: Object.fromEntries(Object.entries(sample.rates).sort()) });
  });

  test.each([
    ['an empty file', '  \n'],
    ['a CSV without a Date column', 'Day, USD,\n2024-06-28, 1.07,'],
    ['a column that is not a currency', 'Date, US Dollar,\n2024-06-28, 1.07,'],
    ['a line with a missing value', 'Date, USD, JPY,\n2024-06-28, 1.07,'],
    ['a date that is not one', 'Date, USD,\n31 Juni 2024, 1.07,'],
    ['an impossible day', 'Date, USD,\n2024-02-30, 1.07,'],
    ['a rate that is not a number', 'Date, USD,\n2024-06-28, 1,07,'],
    ['a zero rate', 'Date, USD,\n2024-06-28, 0.0000,'],
    ['a negative rate', 'Date, USD,\n2024-06-28, -1.07,'],
    ['an XML without days', '<gesmes:Envelope><Cube></Cube></gesmes:Envelope>'],
    ['a day without a rate', 'Date, USD,\n2024-06-28, N/A,'],
  ])('refuses %s, naming the file', (_case, text) => {
    let thrown: unknown;
    try {
      parseEcbReferenceRates(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_FAILED', field: 'file' });
  });
});

describe('frankfurtAt16', () => {
  test.each([
    ['2026-01-15', '2026-01-15T15:00:00.000Z'],
    ['2026-03-28', '2026-03-28T15:00:00.000Z'], // the Saturday before summer time
    ['2026-03-30', '2026-03-30T14:00:00.000Z'],
    ['2026-10-23', '2026-10-23T14:00:00.000Z'],
    ['2026-10-26', '2026-10-26T15:00:00.000Z'], // the Monday after winter time
  ])('%s → %s', (day, instant) => {
    expect(frankfurtAt16(day)).toBe(instant);
  });
});
