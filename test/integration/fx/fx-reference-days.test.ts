/**
 * The ECB's reference rates in PostgreSQL: imported with `npm run fx -- import <file>` (each day
 * once, a changed day refused), and read by PgReferenceRateSource with the same answers as the
 * repository's sample source. This file is the only one that writes fx_reference_days.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFxActivities } from '../../../activities/fx';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src/errors';
import type { Database } from '../../../src/infra/database';
import {
  ECB_SAMPLE_DAYS,
  FX_IMPORT_SCHEDULE_ID,
  FxReferenceStore,
  ensureDailyFxImportSchedule,
  PgReferenceRateSource,
  ReferenceRateSource,
  parseEcbReferenceRates,
} from '../../../src/infra/fx';
import { startTestApi } from '../../helpers/api';
import { openTestDatabase, testDatabaseUrl, uniqueId } from '../../helpers/database';
import { deCart } from '../../helpers/quote-requests';
import { triggerSchedule } from '../../helpers/temporal';
import { recordWorkflowHistory } from '../../helpers/histories';
import { startOrderWorld } from '../../helpers/order-world';
import { spawnCli } from '../../helpers/processes';

jest.setTimeout(60_000);

let db: Database;
let store: FxReferenceStore;
beforeAll(async () => {
  db = openTestDatabase();
  store = new FxReferenceStore(db);
  await store.importDays(ECB_SAMPLE_DAYS);
});
afterAll(async () => {
  await db?.$disconnect();
});

const request = (at: string, currencies = ['EUR', 'USD', 'JPY', 'GBP']) => ({
  at: new Date(at),
  currencies,
});

test('answers what the sample source answers for the same days: the newest day published before', async () => {
  const pg = new PgReferenceRateSource(db, { cacheMs: 0 });
  const sample = new ReferenceRateSource(ECB_SAMPLE_DAYS);
  for (const at of [
    '2024-06-28T14:00:00.000Z', // the moment the first day is published
    '2024-12-01T00:00:00.000Z',
    '2025-02-28T14:59:59.999Z', // the second day's date, before its publication
    '2025-02-28T15:00:00.000Z',
    '2026-11-26T12:00:00.000Z',
  ]) {
    expect(await pg.ratesFor(request(at))).toEqual(await sample.ratesFor(request(at)));
  }
  await expect(pg.ratesFor(request('2024-06-28T13:59:59.999Z'))).rejects.toMatchObject({
    code: 'DEPENDENCY_UNAVAILABLE',
  });
});

test('refuses rates older than maxAgeDays (a feed that stopped), as the sample source does', async () => {
  const pg = new PgReferenceRateSource(db, { maxAgeDays: 5, cacheMs: 0 });
  await expect(pg.ratesFor(request('2025-03-04T12:00:00.000Z'))).resolves.toMatchObject({
    reference: { date: '2025-02-28' },
  });
  await expect(pg.ratesFor(request('2025-03-06T12:00:00.000Z'))).rejects.toMatchObject({
    code: 'DEPENDENCY_UNAVAILABLE',
    message: expect.stringMatching(/older than 5 days/),
  });
});

test('imports each day once; a day imported with other rates is refused and nothing of its file is written', async () => {
  expect(await store.importDays(ECB_SAMPLE_DAYS)).toEqual({ added: 0, unchanged: 2 });
  const changed = { ...ECB_SAMPLE_DAYS[1]!, rates: { ...ECB_SAMPLE_DAYS[1]!.rates, USD: '1.0412' } };
  const newDay = { ...ECB_SAMPLE_DAYS[1]!, date: '2025-03-03', publishedAt: '2025-03-03T15:00:00.000Z' };
  let thrown: unknown;
  try {
    await store.importDays([newDay, changed]);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect(thrown).toMatchObject({ code: 'CONFLICT', field: 'file', details: { date: '2025-02-28' } });
  expect(await store.summary('EUR')).toEqual({ days: 2, first: '2024-06-28', last: '2025-02-28' });
});

test('reads the newest day once a minute at most, and sees a day imported since after that', async () => {
  let now = Date.parse('2026-11-26T12:00:00.000Z');
  const pg = new PgReferenceRateSource(db, { now: () => now });
  const at = '2026-11-26T12:00:00.000Z';
  expect((await pg.ratesFor(request(at))).reference.date).toBe('2025-02-28');
  const next = { ...ECB_SAMPLE_DAYS[1]!, date: '2025-03-04', publishedAt: '2025-03-04T15:00:00.000Z' };
  expect(await store.importDays([next])).toEqual({ added: 1, unchanged: 0 });
  now += 30_000;
  expect((await pg.ratesFor(request(at))).reference.date).toBe('2025-02-28');
  now += 31_000;
  expect((await pg.ratesFor(request(at))).reference.date).toBe('2025-03-04');
  // A request before the newest day's publication is read from the table, not the cache.
  expect((await pg.ratesFor(request('2025-03-01T00:00:00.000Z'))).reference.date).toBe('2025-02-28');
});

describe('npm run fx', () => {
  const env = () => ({ DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'warn' });

  it('imports an ECB file, then says what is stored; a second import adds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fx-'));
    const file = join(dir, 'eurofxref-hist.csv');
    writeFileSync(
      file,
      'Date,USD,JPY,CYP,\n2025-03-06,1.0780,160.25,N/A,\n2025-03-05,1.0694,160.63,0.5853,\n',
    );
    const run = spawnCli('fx', ['import', file], env());
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(
      `${file}: 2 days (2025-03-05 to 2025-03-06), 2 added, 0 already there; left out (not active ISO 4217 codes): CYP`,
    );
    const again = spawnCli('fx', ['import', file], env());
    expect(await again.exited).toBe(0);
    expect(again.output()).toContain('0 added, 2 already there');
    const status = spawnCli('fx', ['status'], env());
    expect(await status.exited).toBe(0);
    expect(status.output()).toMatch(/5 days of EUR reference rates, 2024-06-28 to 2025-03-06/);
    const stored = parseEcbReferenceRates('Date,USD,\n2025-03-06,1.0780,').days[0]!;
    expect(
      (await new PgReferenceRateSource(db).ratesFor(request('2025-03-06T16:00:00.000Z', ['EUR', 'USD'])))
        .reference,
    ).toEqual({
      source: stored.source,
      date: '2025-03-06',
      publishedAt: stored.publishedAt,
    });
  });

  it('refuses a file that is not an ECB reference-rate file, naming it, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fx-'));
    const file = join(dir, 'rates.txt');
    writeFileSync(file, 'hello\n');
    const run = spawnCli('fx', ['import', file], env());
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toMatch(/not an ECB reference-rate file/);
    expect(await store.summary('EUR')).toMatchObject({ days: 5 });
  });
});

/** A merchant of its own and a one-line DE quote request for it. */
async function quoteRequest(api: Awaited<ReturnType<typeof startTestApi>>) {
  const merchantId = uniqueId('mer_fx');
  await api.db.merchant.create({
    data: { id: merchantId, name: 'FX test merchant', country: 'US', settlementCurrency: 'USD' },
  });
  return {
    method: 'POST' as const,
    url: '/v1/quotes',
    headers: api.auth('checkout'),
    payload: deCart(merchantId),
  };
}

test('with FX_RATES=database, a quote converts at the newest imported day', async () => {
  const api = await startTestApi({ fxRates: { kind: 'database', maxAgeDays: 366 * 3 } });
  try {
    const res = await api.app.inject(await quoteRequest(api));
    expect(res.statusCode).toBe(201);
    // The newest day in the table (imported by the CLI test above), not the repository's sample.
    expect(res.json().fx.reference).toMatchObject({ date: '2025-03-06' });
    // The age of the newest day, for alerting before quotes are refused.
    const gauge = (await api.metrics.registry.getSingleMetric('borderline_fx_reference_age_seconds')!.get())
      .values[0]!.value;
    expect(gauge).toBeCloseTo((Date.now() - Date.parse('2025-03-06T15:00:00.000Z')) / 1000, -2);
    expect(res.json().fx.rates).toContainEqual(
      expect.objectContaining({ from: 'EUR', to: 'USD', rate: '1.0780' }),
    );
  } finally {
    await api.close();
  }
});

test('with rates older than FX_MAX_AGE_DAYS, a quote is refused with 503 saying the rates are out of date', async () => {
  const api = await startTestApi({ fxRates: { kind: 'database', maxAgeDays: 5 } });
  try {
    const request = await quoteRequest(api);
    const res = await api.app.inject(request);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('300');
    expect(res.json().error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message:
        'The exchange rates to convert prices are out of date (the newest are of 2025-03-06); retry later',
    });
    expect(await api.db.quote.count({ where: { merchantId: request.payload.merchantId as string } })).toBe(0);
  } finally {
    await api.close();
  }
});

describe('the daily import from the ECB (a local server stands in for its site)', () => {
  /** eurofxref-daily.xml of one day. */
  const dailyXml = (date: string, usd: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope><gesmes:subject>Reference rates</gesmes:subject>` +
    `<Cube><Cube time='${date}'><Cube currency='USD' rate='${usd}'/><Cube currency='JPY' rate='161.10'/></Cube></Cube>` +
    `</gesmes:Envelope>`;
  let served = dailyXml('2025-03-07', '1.0835');
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/daily.xml') res.writeHead(200, { 'content-type': 'text/xml' }).end(served);
      else if (req.url === '/junk')
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      else res.writeHead(503).end('unavailable');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('the activity downloads and imports the day, once; an unavailable site is retried, a wrong file is not', async () => {
    const { importReferenceRates } = createFxActivities({ db });
    expect(await importReferenceRates({ url: `${base}/daily.xml` })).toMatchObject({
      days: 1,
      added: 1,
      unchanged: 0,
      first: '2025-03-07',
      last: '2025-03-07',
    });
    expect(await importReferenceRates({ url: `${base}/daily.xml` })).toMatchObject({
      added: 0,
      unchanged: 1,
    });
    await expect(importReferenceRates({ url: `${base}/down` })).rejects.toMatchObject({
      type: 'DEPENDENCY_UNAVAILABLE',
      nonRetryable: false,
    });
    await expect(importReferenceRates({ url: 'http://127.0.0.1:1/daily.xml' })).rejects.toMatchObject({
      type: 'DEPENDENCY_UNAVAILABLE',
      nonRetryable: false,
    });
    await expect(importReferenceRates({ url: `${base}/junk` })).rejects.toMatchObject({
      type: 'VALIDATION_FAILED',
      nonRetryable: true,
    });
  });

  test('npm run fx -- fetch imports the day the URL serves', async () => {
    served = dailyXml('2025-03-10', '1.0833');
    const run = spawnCli('fx', ['fetch', '--url', `${base}/daily.xml`], {
      DATABASE_URL: testDatabaseUrl(),
      LOG_LEVEL: 'warn',
    });
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(
      `${base}/daily.xml: 1 day (2025-03-10 to 2025-03-10), 1 added, 0 already there`,
    );
  });

  test('a Temporal Schedule imports every day; its run is a workflow on the worker', async () => {
    served = dailyXml('2025-03-11', '1.0900');
    const world = await startOrderWorld();
    const handle = world.temporal.client.schedule.getHandle(FX_IMPORT_SCHEDULE_ID);
    try {
      const options = { at: '16:30', url: `${base}/daily.xml`, taskQueue: world.taskQueue };
      expect(await ensureDailyFxImportSchedule(world.temporal.client, options)).toEqual({
        scheduleId: 'fx-import-daily',
        outcome: 'created',
      });
      expect((await handle.describe()).spec.calendars?.[0]).toMatchObject({
        hour: [{ start: 16, end: 16, step: 1 }],
        minute: [{ start: 30, end: 30, step: 1 }],
      });
      const workflowId = await triggerSchedule(handle);
      expect(workflowId).toMatch(/^fx-import-daily-\d{4}-\d\d-\d\dT/);
      expect(await world.temporal.client.workflow.getHandle(workflowId).result()).toEqual({
        days: 1,
        added: 1,
        unchanged: 0,
        first: '2025-03-11',
        last: '2025-03-11',
        skippedCurrencies: [],
      });
      expect(await store.dayAt('EUR', new Date('2025-03-11T16:00:00.000Z'))).toMatchObject({
        date: '2025-03-11',
        rates: { JPY: '161.10', USD: '1.0900' },
      });
      await recordWorkflowHistory(world.temporal.client, workflowId, 'fx-import-scheduled');
      await expect(
        ensureDailyFxImportSchedule(world.temporal.client, { ...options, url: 'ftp://example.test/x' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'url' });
    } finally {
      await handle.delete();
      await world.close();
    }
  });
});
