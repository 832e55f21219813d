/**
 * The ledger against the real PostgreSQL of the test run: what the database itself refuses
 * (raw SQL, bypassing the code), idempotent and concurrent posting, balances, refunds.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppError } from '../../../src/errors';
import {
  accounts,
  credit,
  debit,
  ledgerEntry,
  orderCaptureEntry,
  reversalOf,
  type OrderCaptureInput,
} from '../../../src/domain/ledger';
import { money } from '../../../src/domain/money';
import type { Database } from '../../../src/infra/database';
import { LedgerStore } from '../../../src/infra/ledger';
import { openTestDatabase, testDatabaseUrl, uniqueId } from '../../helpers/database';
import { workedExampleCapture } from '../../helpers/ledger-example';

const eur = (amount: number) => money(amount, 'EUR');

let db: Database;
let store: LedgerStore;
let sql: Client;

beforeAll(async () => {
  db = openTestDatabase();
  store = new LedgerStore(db);
  sql = new Client({ connectionString: testDatabaseUrl() });
  await sql.connect();
});

afterAll(async () => {
  await sql.end();
  await db.$disconnect();
});

async function newMerchant(overrides: Record<string, unknown> = {}): Promise<string> {
  const id = uniqueId('mer');
  await db.merchant.create({
    data: { id, name: 'Ledger test merchant', country: 'DE', settlementCurrency: 'EUR', ...overrides },
  });
  return id;
}

function captureOf(merchantId: string, orderId = uniqueId('ord')): OrderCaptureInput {
  return workedExampleCapture({ orderId, merchantId });
}

async function expectDbRefusal(statements: string[], message: RegExp): Promise<void> {
  await sql.query('BEGIN');
  try {
    for (const statement of statements) await sql.query(statement);
    await sql.query('COMMIT');
  } catch (error) {
    await sql.query('ROLLBACK').catch(() => undefined);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('the database accepted it');
}

async function countEntries(businessKey: string): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    'SELECT count(*) AS n FROM journal_entries WHERE business_key = $1',
    [businessKey],
  );
  return Number(rows[0]!.n);
}

describe('LedgerStore.post', () => {
  test('a balanced entry posts: accounts created on first use, lines with ids, the business time kept', async () => {
    const merchantId = await newMerchant();
    const input = captureOf(merchantId);
    const posted = await store.post(orderCaptureEntry(input));
    expect(posted).toMatchObject({
      created: true,
      businessKey: `order:${input.orderId}:capture`,
      kind: 'capture',
      orderId: input.orderId,
      merchantId,
      occurredAt: '2026-11-25T10:00:00.000Z',
      reversesEntryId: null,
    });
    expect(posted.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(posted.lines.map((l) => [l.lineNo, l.account, l.amount.amount])).toEqual([
      [1, 'processor_clearing:stripe:EUR', 12795],
      [2, `merchant_payable:${merchantId}:EUR`, -8420],
      [3, `merchant_reserve:${merchantId}:EUR`, -936],
      [4, 'platform_fee_revenue:EUR', -304],
      [5, 'duties_payable:DE:EUR', -300],
      [6, 'tax_payable:DE:EUR', -1995],
      [7, 'carrier_payable:sample-express:EUR', -840],
      [8, `merchant_payable:${merchantId}:EUR`, 30],
      [9, 'platform_fee_revenue:EUR', -30],
    ]);
    expect(await store.getEntry(posted.businessKey)).toEqual({ ...posted, created: undefined });
    const { rows } = await sql.query(
      `SELECT code, kind, type::text, normal_balance::text, currency, party, merchant_id FROM ledger_accounts
        WHERE code = $1`,
      [accounts.merchantPayable(merchantId, 'EUR')],
    );
    expect(rows).toEqual([
      {
        code: `merchant_payable:${merchantId}:EUR`,
        kind: 'merchant_payable',
        type: 'liability',
        normal_balance: 'credit',
        currency: 'EUR',
        party: merchantId,
        merchant_id: merchantId,
      },
    ]);
  });

  test('the same key with the same content answers the stored entry; other content is refused', async () => {
    const merchantId = await newMerchant();
    const input = captureOf(merchantId);
    const first = await store.post(orderCaptureEntry(input));
    const again = await store.post(orderCaptureEntry({ ...input, description: 'reworded' }));
    expect(again.created).toBe(false);
    expect(again.id).toBe(first.id);
    expect(again.description).toBe(first.description);

    const changed = orderCaptureEntry({ ...input, feeTerms: { ...input.feeTerms, platformFeeBps: 300 } });
    await expect(store.post(changed)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'businessKey',
      details: { existingEntryId: first.id },
    });
    await expect(
      store.post({ ...orderCaptureEntry(input), occurredAt: '2026-11-25T10:00:01.000Z' }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await countEntries(first.businessKey)).toBe(1);
  });

  test('concurrent posts of one key make one entry', async () => {
    const merchantId = await newMerchant();
    const entry = orderCaptureEntry(captureOf(merchantId));
    const results = await Promise.all(Array.from({ length: 8 }, () => store.post(entry)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await countEntries(entry.businessKey)).toBe(1);
    const { rows } = await sql.query<{ n: string }>(
      'SELECT count(*) AS n FROM journal_lines WHERE entry_id = $1',
      [results[0]!.id],
    );
    expect(Number(rows[0]!.n)).toBe(entry.lines.length);
  });

  test('concurrent posts of one key with different content: one wins, the others are refused', async () => {
    const merchantId = await newMerchant();
    const input = captureOf(merchantId);
    const outcomes = await Promise.allSettled(
      [290, 291, 292, 293].map((bps) =>
        store.post(orderCaptureEntry({ ...input, feeTerms: { ...input.feeTerms, platformFeeBps: bps } })),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(o.reason).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    }
    expect(await countEntries(`order:${input.orderId}:capture`)).toBe(1);
  });

  test('an unbalanced entry never reaches the database through the code', async () => {
    await expect(
      store.post({
        businessKey: uniqueId('adj'),
        kind: 'adjustment',
        description: 'unbalanced',
        occurredAt: new Date(),
        lines: [debit('fx_clearing:EUR', eur(100)), credit('fx_gain_loss:EUR', eur(99))],
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines' });
  });

  test('an unknown merchant is NOT_FOUND, and nothing is written', async () => {
    const input = captureOf('mer_does_not_exist');
    await expect(store.post(orderCaptureEntry(input))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      field: 'merchantId',
    });
    expect(await countEntries(`order:${input.orderId}:capture`)).toBe(0);
  });
});

describe('LedgerStore.postMany', () => {
  /** A fee-like entry: an expense paid out of clearing, in a currency no other test posts. */
  const feeEntry = (key: string, amount: number, orderId: string | null = null) =>
    ledgerEntry({
      businessKey: key,
      kind: 'processor_fee',
      orderId,
      description: 'batch test',
      occurredAt: '2026-11-20T08:00:00.000Z',
      lines: [
        debit(accounts.processorFees('stripe', 'NOK'), money(amount, 'NOK')),
        credit(accounts.processorClearing('stripe', 'NOK'), money(amount, 'NOK')),
      ],
    });

  test('posts many entries in batches, each once: a second call keeps them, and says so', async () => {
    const prefix = uniqueId('batch');
    const drafts = Array.from({ length: 7 }, (_, i) => feeEntry(`${prefix}:${i}`, 100 + i, `ord_${i}`));
    expect(await store.postMany(drafts, 3)).toEqual({ created: 7, existing: 0 });
    const stored = await store.getEntry(`${prefix}:4`);
    expect(stored).toMatchObject({
      kind: 'processor_fee',
      orderId: 'ord_4',
      occurredAt: '2026-11-20T08:00:00.000Z',
      lines: [
        { lineNo: 1, account: 'processor_fees:stripe:NOK', amount: money(104, 'NOK') },
        { lineNo: 2, account: 'processor_clearing:stripe:NOK', amount: money(-104, 'NOK') },
      ],
    });
    // A retry with some new entries: the old are kept, the new posted.
    const more = [...drafts, feeEntry(`${prefix}:7`, 107), feeEntry(`${prefix}:8`, 108)];
    expect(await store.postMany(more, 4)).toEqual({ created: 2, existing: 7 });
    for (let i = 0; i <= 8; i += 1) expect(await countEntries(`${prefix}:${i}`)).toBe(1);
    expect(await store.postMany([])).toEqual({ created: 0, existing: 0 });
  });

  test('an entry posted before with other content is refused, and its batch writes nothing', async () => {
    const prefix = uniqueId('batch');
    await store.postMany([feeEntry(`${prefix}:a`, 100)]);
    await expect(
      store.postMany([feeEntry(`${prefix}:b`, 200), feeEntry(`${prefix}:a`, 101)]),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'businessKey' });
    expect(await countEntries(`${prefix}:b`)).toBe(0);
  });

  test('a key given twice in one call is posted once; twice with other content, nothing is written', async () => {
    const prefix = uniqueId('batch');
    const twice = feeEntry(`${prefix}:a`, 100);
    expect(await store.postMany([twice, feeEntry(`${prefix}:b`, 5), twice], 2)).toEqual({
      created: 2,
      existing: 0,
    });
    expect(await countEntries(`${prefix}:a`)).toBe(1);
    await expect(
      store.postMany([feeEntry(`${prefix}:c`, 1), feeEntry(`${prefix}:d`, 1), feeEntry(`${prefix}:d`, 2)]),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'businessKey' });
    expect(await countEntries(`${prefix}:c`)).toBe(0);
  });

  test('two callers posting the same entries at once make each entry once', async () => {
    const prefix = uniqueId('batch');
    const drafts = Array.from({ length: 40 }, (_, i) =>
      feeEntry(`${prefix}:${String(i).padStart(2, '0')}`, 10 + i),
    );
    const reversed = [...drafts].reverse();
    const results = await Promise.all([store.postMany(drafts, 10), store.postMany(reversed, 10)]);
    expect(results[0]!.created + results[1]!.created).toBe(40);
    const { rows } = await sql.query<{ n: string }>(
      'SELECT count(*) AS n FROM journal_entries WHERE business_key LIKE $1',
      [`${prefix}:%`],
    );
    expect(Number(rows[0]!.n)).toBe(40);
  });

  test('a reversal is not posted in a batch', async () => {
    const merchantId = await newMerchant();
    const posted = await store.post(orderCaptureEntry(captureOf(merchantId)));
    const reversal = reversalOf(posted, { occurredAt: '2026-11-26T00:00:00.000Z' });
    await expect(store.postMany([reversal])).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await countEntries(reversal.businessKey)).toBe(0);
  });
});

describe('what the database refuses by itself (raw SQL)', () => {
  const entryId = () => randomUUID();
  const insertEntry = (id: string, extra = '') =>
    `INSERT INTO journal_entries (id, business_key, kind, description, occurred_at${extra ? ', reverses_entry_id' : ''})
     VALUES ('${id}', 'raw:${id}', '${extra ? 'reversal' : 'adjustment'}', 'raw', now()${extra ? `, '${extra}'` : ''})`;
  const insertLine = (id: string, no: number, account: string, amount: number, currency = 'EUR') =>
    `INSERT INTO journal_lines (entry_id, line_no, account_code, currency, amount, occurred_at)
     VALUES ('${id}', ${no}, '${account}', '${currency}', ${amount}, now())`;

  beforeAll(async () => {
    // The accounts the raw statements use.
    await store.post({
      businessKey: uniqueId('seed'),
      kind: 'adjustment',
      description: 'seed accounts',
      occurredAt: new Date(),
      lines: [
        debit('fx_clearing:EUR', eur(1)),
        credit('fx_gain_loss:EUR', eur(1)),
        debit('fx_clearing:USD', money(1, 'USD')),
        credit('fx_gain_loss:USD', money(1, 'USD')),
      ],
    });
  });

  test('a balanced entry inserted by hand commits', async () => {
    const id = entryId();
    await sql.query('BEGIN');
    await sql.query(insertEntry(id));
    await sql.query(insertLine(id, 1, 'fx_clearing:EUR', 500));
    await sql.query(insertLine(id, 2, 'fx_gain_loss:EUR', -500));
    await sql.query('COMMIT');
    expect(await countEntries(`raw:${id}`)).toBe(1);
  });

  test('lines that do not sum to zero are refused at commit', async () => {
    const id = entryId();
    await expectDbRefusal(
      [
        insertEntry(id),
        insertLine(id, 1, 'fx_clearing:EUR', 500),
        insertLine(id, 2, 'fx_gain_loss:EUR', -499),
      ],
      /does not balance: its EUR lines sum to 1/,
    );
    expect(await countEntries(`raw:${id}`)).toBe(0);
  });

  test('balanced in total but not per currency is refused', async () => {
    const id = entryId();
    await expectDbRefusal(
      [
        insertEntry(id),
        insertLine(id, 1, 'fx_clearing:EUR', 500),
        insertLine(id, 2, 'fx_gain_loss:USD', -500, 'USD'),
      ],
      /does not balance/,
    );
  });

  test('an entry with fewer than two lines is refused', async () => {
    const none = entryId();
    await expectDbRefusal([insertEntry(none)], /has 0 line\(s\); an entry needs at least two/);
    const one = entryId();
    // A single zero line cannot exist either (CHECK amount <> 0); one non-zero line cannot balance.
    await expectDbRefusal(
      [insertEntry(one), insertLine(one, 1, 'fx_clearing:EUR', 0)],
      /journal_lines_amount_check/,
    );
  });

  test('a line in another currency than its account is refused', async () => {
    const id = entryId();
    await expectDbRefusal(
      [
        insertEntry(id),
        insertLine(id, 1, 'fx_clearing:EUR', 500, 'USD'),
        insertLine(id, 2, 'fx_gain_loss:USD', -500, 'USD'),
      ],
      /journal_lines_account_code_currency_fkey/,
    );
  });

  test('lines cannot be added to an entry after its transaction', async () => {
    const posted = await store.post({
      businessKey: uniqueId('adj'),
      kind: 'adjustment',
      description: 'closed',
      occurredAt: new Date(),
      lines: [debit('fx_clearing:EUR', eur(7)), credit('fx_gain_loss:EUR', eur(7))],
    });
    await expectDbRefusal(
      [insertLine(posted.id, 3, 'fx_clearing:EUR', 5), insertLine(posted.id, 4, 'fx_gain_loss:EUR', -5)],
      /lines can only be added to journal entry .* in the transaction that created it/,
    );
  });

  describe("a merchant's payable line carries its settlement class and breakdown", () => {
    let payable: string;
    beforeAll(async () => {
      const merchantId = await newMerchant();
      payable = `merchant_payable:${merchantId}:EUR`;
      await store.post({
        businessKey: uniqueId('seed'),
        kind: 'adjustment',
        description: 'seed the merchant payable account',
        occurredAt: new Date(),
        lines: [debit('fx_clearing:EUR', eur(1)), credit(payable, eur(1))],
      });
    });
    const withBreakdown = (id: string, no: number, account: string, amount: number, columns: string) =>
      `INSERT INTO journal_lines (entry_id, line_no, account_code, currency, amount, occurred_at, settlement_class,
         breakdown_gross, breakdown_refunds, breakdown_fees, breakdown_duties_taxes, breakdown_carrier, breakdown_reserve_held)
       VALUES ('${id}', ${no}, '${account}', 'EUR', ${amount}, now(), ${columns})`;

    test('posted by the store: the columns lineSettlements computes', async () => {
      const merchantId = await newMerchant();
      const posted = await store.post(orderCaptureEntry(captureOf(merchantId)));
      const { rows } = await sql.query(
        `SELECT account_code, settlement_class, breakdown_gross::int AS gross, breakdown_fees::int AS fees
           FROM journal_lines WHERE entry_id = $1 AND settlement_class IS NOT NULL ORDER BY line_no`,
        [posted.id],
      );
      const clearing = posted.lines.find((l) => l.account.startsWith('processor_clearing:'))!;
      // The worked example's fixed fee is a second line on the same payable account: it is
      // counted in the net but carries no second copy of the entry's breakdown.
      expect(rows).toEqual([
        expect.objectContaining({
          account_code: `merchant_payable:${merchantId}:EUR`,
          settlement_class: 'other',
          gross: clearing.amount.amount,
        }),
        {
          account_code: `merchant_payable:${merchantId}:EUR`,
          settlement_class: 'other',
          gross: null,
          fees: null,
        },
      ]);
      expect(rows[0].fees).toBeGreaterThan(0);
    });

    test('by hand, with the right columns, it commits', async () => {
      const id = entryId();
      await sql.query('BEGIN');
      await sql.query(insertEntry(id));
      await sql.query(insertLine(id, 1, 'fx_clearing:EUR', 500));
      await sql.query(withBreakdown(id, 2, payable, -500, `'other', 0, 0, 0, 0, -500, 0`));
      await sql.query('COMMIT');
      expect(await countEntries(`raw:${id}`)).toBe(1);
    });

    test('without a settlement class it is refused', async () => {
      const id = entryId();
      await expectDbRefusal(
        [insertEntry(id), insertLine(id, 1, 'fx_clearing:EUR', 500), insertLine(id, 2, payable, -500)],
        /journal_lines_settlement_class_check/,
      );
      expect(await countEntries(`raw:${id}`)).toBe(0);
    });

    test('with a breakdown that is not its entry’s, it is refused at commit', async () => {
      const id = entryId();
      await expectDbRefusal(
        [
          insertEntry(id),
          insertLine(id, 1, 'fx_clearing:EUR', 500),
          withBreakdown(id, 2, payable, -500, `'other', 500, 0, 0, 0, 0, 0`),
        ],
        /journal line \d+ of entry .* does not carry its settlement class and breakdown/,
      );
      const wrongClass = entryId();
      await expectDbRefusal(
        [
          insertEntry(wrongClass),
          insertLine(wrongClass, 1, 'fx_clearing:EUR', 500),
          withBreakdown(wrongClass, 2, payable, -500, `'brought', NULL, NULL, NULL, NULL, NULL, NULL`),
        ],
        /does not carry its settlement class and breakdown/,
      );
      expect(await countEntries(`raw:${id}`)).toBe(0);
    });

    test('a line of another kind carries nothing', async () => {
      const id = entryId();
      await expectDbRefusal(
        [
          insertEntry(id),
          withBreakdown(id, 1, 'fx_clearing:EUR', 500, `'other', 0, 0, 0, 0, 0, 0`),
          insertLine(id, 2, 'fx_gain_loss:EUR', -500),
        ],
        /journal_lines_settlement_class_check/,
      );
    });
  });

  test('UPDATE, DELETE and TRUNCATE of entries, lines and accounts are refused', async () => {
    const posted = await store.post({
      businessKey: uniqueId('adj'),
      kind: 'adjustment',
      description: 'immutable',
      occurredAt: new Date(),
      lines: [debit('fx_clearing:EUR', eur(9)), credit('fx_gain_loss:EUR', eur(9))],
    });
    const refused = /the ledger is append-only/;
    await expectDbRefusal(
      [`UPDATE journal_lines SET amount = amount * 2 WHERE entry_id = '${posted.id}'`],
      refused,
    );
    await expectDbRefusal([`DELETE FROM journal_lines WHERE entry_id = '${posted.id}'`], refused);
    await expectDbRefusal(
      [`UPDATE journal_entries SET description = 'x' WHERE id = '${posted.id}'`],
      refused,
    );
    await expectDbRefusal([`DELETE FROM journal_entries WHERE id = '${posted.id}'`], refused);
    // CASCADE: settlement items reference the lines; the trigger refuses before any table is emptied.
    await expectDbRefusal(['TRUNCATE journal_lines, journal_entries CASCADE'], refused);
    await expectDbRefusal(
      [`UPDATE ledger_accounts SET party = NULL WHERE code = 'fx_clearing:EUR'`],
      refused,
    );
    await expect(
      db.journalEntry.update({ where: { id: posted.id }, data: { description: 'x' } }),
    ).rejects.toThrow(/append-only/);
    expect((await store.getEntry(posted.businessKey))?.lines.map((l) => l.amount.amount)).toEqual([9, -9]);
  });

  test('a reversal must negate its entry exactly, and an entry is reversed once', async () => {
    const posted = await store.post({
      businessKey: uniqueId('adj'),
      kind: 'adjustment',
      description: 'to reverse',
      occurredAt: new Date(),
      lines: [debit('fx_clearing:EUR', eur(40)), credit('fx_gain_loss:EUR', eur(40))],
    });
    const wrong = entryId();
    await expectDbRefusal(
      [
        insertEntry(wrong, posted.id),
        insertLine(wrong, 1, 'fx_clearing:EUR', -30),
        insertLine(wrong, 2, 'fx_gain_loss:EUR', 30),
      ],
      /does not exactly negate the entry/,
    );
    const reversal = await store.post(reversalOf(posted, { occurredAt: new Date() }));
    expect(reversal).toMatchObject({ created: true, kind: 'reversal', reversesEntryId: posted.id });
    expect(reversal.lines.map((l) => l.amount.amount)).toEqual([-40, 40]);
    // The same reversal again is a replay; another reversal of the same entry is refused.
    expect((await store.post(reversalOf(posted, { occurredAt: reversal.occurredAt }))).created).toBe(false);
    await expect(
      store.post(reversalOf(posted, { occurredAt: new Date(), businessKey: uniqueId('again') })),
    ).rejects.toMatchObject({ code: 'CONFLICT', field: 'reversesEntryId' });
    await expect(
      store.post(
        ledgerEntry({
          businessKey: uniqueId('ghost'),
          kind: 'reversal',
          description: 'of nothing',
          occurredAt: new Date(),
          reversesEntryId: randomUUID(),
          lines: [debit('fx_clearing:EUR', eur(1)), credit('fx_gain_loss:EUR', eur(1))],
        }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'reversesEntryId' });
    // Through the code too: a "reversal" that does not negate its entry fails at commit.
    const other = await store.post({
      businessKey: uniqueId('adj'),
      kind: 'adjustment',
      description: 'to reverse wrongly',
      occurredAt: new Date(),
      lines: [debit('fx_clearing:EUR', eur(40)), credit('fx_gain_loss:EUR', eur(40))],
    });
    const bad = ledgerEntry({
      businessKey: uniqueId('bad'),
      kind: 'reversal',
      description: 'half a reversal',
      occurredAt: new Date(),
      reversesEntryId: other.id,
      lines: [debit('fx_gain_loss:EUR', eur(20)), credit('fx_clearing:EUR', eur(20))],
    });
    await expect(store.post(bad)).rejects.toMatchObject({
      code: 'BUSINESS_RULE_VIOLATION',
      message: expect.stringMatching(/does not exactly negate/),
    });
    expect(await countEntries(bad.businessKey)).toBe(0);
  });
});

describe('balances and refunds', () => {
  test('balances per account, per merchant, per currency and as of a time', async () => {
    const merchantId = await newMerchant();
    const one = captureOf(merchantId);
    const two = { ...captureOf(merchantId), occurredAt: '2026-11-26T10:00:00.000Z' };
    await store.post(orderCaptureEntry(one));
    await store.post(orderCaptureEntry(two));

    const mine = await store.balances({ merchantId });
    expect(
      mine.map((b) => [
        b.account,
        b.debits.amount,
        b.credits.amount,
        b.balance.amount,
        b.normalBalanceAmount.amount,
      ]),
    ).toEqual([
      [`merchant_payable:${merchantId}:EUR`, 60, 16840, -16780, 16780],
      [`merchant_reserve:${merchantId}:EUR`, 0, 1872, -1872, 1872],
    ]);
    expect(mine[0]).toMatchObject({
      kind: 'merchant_payable',
      type: 'liability',
      normalBalance: 'credit',
      merchantId,
    });

    const payable = await store.balances({
      accountCode: accounts.merchantPayable(merchantId, 'EUR'),
      occurredBefore: '2026-11-26T00:00:00Z',
    });
    expect(payable.map((b) => b.balance.amount)).toEqual([-8390]);
    expect(await store.balances({ merchantId, currency: 'USD' })).toEqual([]);

    // Across the whole ledger every currency nets to zero.
    const all = await store.balances();
    const perCurrency = new Map<string, number>();
    for (const b of all) perCurrency.set(b.currency, (perCurrency.get(b.currency) ?? 0) + b.balance.amount);
    for (const total of perCurrency.values()) expect(total).toBe(0);
  });

  test('refunds: split over what is left, idempotent by refund id, the full refund leaves the documented residue', async () => {
    const merchantId = await newMerchant();
    const capture = captureOf(merchantId);
    await store.post(orderCaptureEntry(capture));

    const first = await store.postOrderRefund({
      refundId: uniqueId('re'),
      capture,
      amount: eur(5000),
      occurredAt: '2026-11-26T10:00:00Z',
    });
    expect(first.lines.map((l) => [l.account, l.amount.amount])).toEqual([
      [`merchant_payable:${merchantId}:EUR`, 3984],
      ['platform_fee_revenue:EUR', 119],
      ['duties_payable:DE:EUR', 117],
      ['tax_payable:DE:EUR', 780],
      ['processor_clearing:stripe:EUR', -5000],
    ]);
    const refundId = first.businessKey.slice('refund:'.length);
    const replay = await store.postOrderRefund({
      refundId,
      capture,
      amount: eur(5000),
      occurredAt: '2026-11-26T10:00:00Z',
    });
    expect(replay).toMatchObject({ created: false, id: first.id });
    await expect(
      store.postOrderRefund({ refundId, capture, amount: eur(5001), occurredAt: '2026-11-26T10:00:00Z' }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    // The rest in three concurrent refunds: serialised per order, nothing lost.
    await Promise.all(
      [2000, 3000, 2795].map((amount) =>
        store.postOrderRefund({
          refundId: uniqueId('re'),
          capture,
          amount: eur(amount),
          occurredAt: '2026-11-27T10:00:00Z',
        }),
      ),
    );
    await expect(
      store.postOrderRefund({
        refundId: uniqueId('re'),
        capture,
        amount: eur(1),
        occurredAt: '2026-11-28T10:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'BUSINESS_RULE_VIOLATION' });

    const entries = await store.entriesForOrder(capture.orderId);
    expect(entries.map((e) => e.kind)).toEqual(['capture', 'refund', 'refund', 'refund', 'refund']);
    const net = new Map<string, number>();
    for (const e of entries)
      for (const l of e.lines) net.set(l.account, (net.get(l.account) ?? 0) + l.amount.amount);
    // Buyer money all returned: clearing, the percentage fee, duties and taxes back to zero;
    // the merchant carries the label (840), the reserve (936) and the fixed fee (30).
    expect(net.get('processor_clearing:stripe:EUR')).toBe(0);
    expect(net.get('duties_payable:DE:EUR')).toBe(0);
    expect(net.get('tax_payable:DE:EUR')).toBe(0);
    expect(net.get('platform_fee_revenue:EUR')).toBe(-30);
    expect(net.get(`merchant_payable:${merchantId}:EUR`)).toBe(840 + 936 + 30);
    expect(net.get(`merchant_reserve:${merchantId}:EUR`)).toBe(-936);
    expect(net.get('carrier_payable:sample-express:EUR')).toBe(-840);
  });

  test('merchant fee terms: column defaults and stored values', async () => {
    const plain = await newMerchant();
    expect(await store.merchantFeeTerms(plain)).toEqual({
      platformFeeBps: 290,
      platformFeeFixed: eur(0),
      reserveBps: 0,
      reserveDays: 0,
    });
    const custom = await newMerchant({
      settlementCurrency: 'USD',
      platformFeeBps: 450,
      platformFeeFixed: 30n,
      reserveBps: 1000,
      reserveDays: 90,
    });
    expect(await store.merchantFeeTerms(custom)).toEqual({
      platformFeeBps: 450,
      platformFeeFixed: money(30, 'USD'),
      reserveBps: 1000,
      reserveDays: 90,
    });
    await expect(store.merchantFeeTerms('mer_missing')).rejects.toBeInstanceOf(AppError);
    await expect(
      db.merchant.create({
        data: {
          id: uniqueId('mer'),
          name: 'bad',
          country: 'DE',
          settlementCurrency: 'EUR',
          platformFeeBps: 10001,
        },
      }),
    ).rejects.toThrow(/merchants_platform_fee_bps_check/);
  });
});
