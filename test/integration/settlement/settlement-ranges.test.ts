/**
 * How a run claims lines (migration 20261126100000_settlement_ranges): a range of line ids per
 * merchant account, items for the due lines a range cannot take, and the posting fence that
 * keeps a range from ending above a line still being posted. On the real PostgreSQL of the test
 * run, with real concurrent transactions.
 */
import { Client } from 'pg';
import { accounts, orderCaptureEntry, parseAccountCode } from '../../../src/domain/ledger';
import { AppError } from '../../../src/errors';
import { SettlementStore } from '../../../src/infra/settlement';
import { testDatabaseUrl, uniqueId } from '../../helpers/database';
import {
  captureInput,
  claimsOf,
  createMerchant,
  merchantBalance,
  postCapture,
  RecordingTransfers,
  useSettlementWorld,
} from '../../helpers/settlement';

jest.setTimeout(60_000);

const world = useSettlementWorld();

async function open(
  merchantId: string,
  to: string,
  on: SettlementStore = world.store,
  from = '2026-09-01T00:00:00Z',
): Promise<string> {
  const runId = uniqueId('stl');
  await on.openRun({
    runId,
    workflowId: `settlement-${runId}`,
    currency: 'EUR',
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    merchantIds: [merchantId],
    requestedBy: 'test',
  });
  return runId;
}

async function payAndFinish(runId: string): Promise<void> {
  let remaining = (await world.store.rows(runId)).filter((r) => r.status === 'pending').length;
  while (remaining > 0)
    remaining = (await world.store.payBatch(runId, 10, new RecordingTransfers())).remaining;
  await world.store.finish(runId);
}

/** The merchant's payable lines, in line id order. */
async function payableLines(merchantId: string): Promise<{ id: bigint; amount: bigint }[]> {
  return world.db.$queryRaw`
    SELECT id, amount FROM journal_lines WHERE account_code = ${accounts.merchantPayable(merchantId, 'EUR')}
     ORDER BY id`;
}

async function rangesOf(merchantId: string): Promise<{ after: string; through: string; run: string }[]> {
  const rows = await world.db.$queryRaw<{ after_line_id: bigint; through_line_id: bigint; run_id: string }[]>`
    SELECT after_line_id, through_line_id, run_id FROM settlement_ranges
     WHERE account_code = ${accounts.merchantPayable(merchantId, 'EUR')} ORDER BY through_line_id`;
  return rows.map((r) => ({
    after: String(r.after_line_id),
    through: String(r.through_line_id),
    run: r.run_id,
  }));
}

describe('a range per account, items past a line not yet due', () => {
  it('settles a late-posted due line one by one and the line not yet due in the next run, each once', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0 });
    await postCapture(world.ledger, { merchantId, goods: 1_000, occurredAt: '2026-10-01T10:00:00Z' });
    await postCapture(world.ledger, { merchantId, goods: 2_000, occurredAt: '2026-10-20T10:00:00Z' }); // after the cut-off
    await postCapture(world.ledger, { merchantId, goods: 4_000, occurredAt: '2026-10-02T10:00:00Z' }); // posted late
    const [first, notDue, late] = await payableLines(merchantId);

    const r1 = await open(merchantId, '2026-10-15T00:00:00Z');
    const p1 = await world.store.prepare(r1, world.fx);
    expect(p1.linesSettled).toBe(2);
    expect((await world.store.rows(r1)).map((r) => r.net)).toEqual([5_000]);
    // The range stops before the line not yet due; the late line is an item.
    expect(await rangesOf(merchantId)).toEqual([{ after: '0', through: String(notDue!.id - 1n), run: r1 }]);
    const items = await world.db.settlementItem.findMany({ where: { lineId: late!.id } });
    expect(items).toEqual([{ lineId: late!.id, runId: r1 }]);
    await payAndFinish(r1);

    const r2 = await open(merchantId, '2026-10-25T00:00:00Z', world.store, '2026-10-15T00:00:00Z');
    await world.store.prepare(r2, world.fx);
    expect((await world.store.rows(r2)).map((r) => r.net)).toEqual([2_000]);
    await payAndFinish(r2);

    const claims = new Map((await claimsOf(world.db, [merchantId])).map((c) => [c.lineId, c.runId]));
    expect(claims.get(String(first!.id))).toBe(r1);
    expect(claims.get(String(late!.id))).toBe(r1);
    expect(claims.get(String(notDue!.id))).toBe(r2);
    // Every payable line (the captures and both payouts) settled once; nothing left owed.
    expect(claims.size).toBe((await payableLines(merchantId)).length);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR')).toBe(0);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR', true)).toBe(0);
    // r2's range runs from where r1's ended over the late line (r1's item, not counted again)
    // and stops before r1's payout: an item of r1 too, but dated at its transfer (2026-11-25),
    // after r2's cut-off, so the first line not yet due for r2.
    const r1Payout = (await payableLines(merchantId)).find((l) => l.amount === 5_000n)!;
    expect(claims.get(String(r1Payout.id))).toBe(r1);
    expect((await rangesOf(merchantId))[1]).toEqual({
      after: String(notDue!.id - 1n),
      through: String(r1Payout.id - 1n),
      run: r2,
    });
  });
});

describe('a run with an earlier cut-off than the last', () => {
  it('leaves alone the lines a range settled, though they are not due for it, and settles the late ones', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0 });
    await postCapture(world.ledger, { merchantId, goods: 1_000, occurredAt: '2026-10-05T10:00:00Z' });
    await postCapture(world.ledger, { merchantId, goods: 2_000, occurredAt: '2026-09-25T10:00:00Z' }); // posted late
    const r1 = await open(merchantId, '2026-10-15T00:00:00Z', world.store, '2026-10-01T00:00:00Z');
    await world.store.prepare(r1, world.fx);
    expect((await world.store.rows(r1)).map((r) => r.net)).toEqual([3_000]);
    await payAndFinish(r1);
    // Posted after r1, dated before the period r1 did not cover.
    await postCapture(world.ledger, { merchantId, goods: 4_000, occurredAt: '2026-09-20T10:00:00Z' });
    const byAmount = async (amount: bigint) =>
      (await payableLines(merchantId)).find((l) => l.amount === amount)!.id;

    // The period before r1's: its cut-off (2026-10-01) finds r1's first line not due and the line
    // after it due, both settled by r1's range. Only the line posted since is settled.
    const r0 = await open(merchantId, '2026-10-01T00:00:00Z', world.store, '2026-09-01T00:00:00Z');
    const prepared = await world.store.prepare(r0, world.fx);
    expect((await world.store.rows(r0)).map((r) => r.net)).toEqual([4_000]);
    expect(prepared.linesSettled).toBe(1);
    await payAndFinish(r0);

    const claims = new Map((await claimsOf(world.db, [merchantId])).map((c) => [c.lineId, c.runId]));
    expect(claims.get(String(await byAmount(-1_000n)))).toBe(r1);
    expect(claims.get(String(await byAmount(-2_000n)))).toBe(r1);
    expect(claims.get(String(await byAmount(3_000n)))).toBe(r1); // r1's payout
    expect(claims.get(String(await byAmount(-4_000n)))).toBe(r0);
    expect(claims.get(String(await byAmount(4_000n)))).toBe(r0); // r0's payout
    expect(claims.size).toBe((await payableLines(merchantId)).length);
    expect(await merchantBalance(world.db, merchantId, 'merchant_payable', 'EUR', true)).toBe(0);
  });
});

describe('the database refuses a second claim', () => {
  it('refuses a range that does not start where the last ended, an item a range settles, and any change', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0 });
    await postCapture(world.ledger, { merchantId, goods: 1_000, occurredAt: '2026-10-01T10:00:00Z' });
    const [line] = await payableLines(merchantId);
    const runId = await open(merchantId, '2026-10-15T00:00:00Z');
    await world.store.prepare(runId, world.fx);
    const [range] = await rangesOf(merchantId);
    const code = accounts.merchantPayable(merchantId, 'EUR');

    await expect(
      world.db
        .$executeRaw`INSERT INTO settlement_ranges (account_code, currency, after_line_id, through_line_id, run_id)
                     VALUES (${code}, 'EUR', 0, ${line!.id + 100n}, ${runId})`,
    ).rejects.toThrow(/must start at line/);
    await expect(
      world.db.$executeRaw`INSERT INTO settlement_items (line_id, run_id) VALUES (${line!.id}, ${runId})`,
    ).rejects.toThrow(/already settled by run/);
    await expect(
      world.db.$executeRaw`UPDATE settlement_ranges SET through_line_id = through_line_id + 1
                      WHERE account_code = ${code} AND through_line_id = ${BigInt(range!.through)}`,
    ).rejects.toThrow(/refused/);
    await expect(
      world.db.$executeRaw`DELETE FROM settlement_ranges WHERE account_code = ${code}`,
    ).rejects.toThrow(/refused/);
    expect(await rangesOf(merchantId)).toEqual([range]);
  });
});

describe('the posting fence', () => {
  /**
   * A posting of the merchant whose transaction stays open after drawing its line ids: it needs a
   * new carrier account that another transaction (`blocker`) has inserted and not committed, so
   * its ON CONFLICT waits for that transaction. Rolling `blocker` back lets it commit.
   */
  async function postingHeldOpen(merchantId: string) {
    const carrierId = `fence${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    const account = parseAccountCode(accounts.carrierPayable(carrierId, 'EUR'));
    const blocker = new Client({ connectionString: testDatabaseUrl() });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO ledger_accounts (code, kind, type, normal_balance, currency, party, merchant_id)
       VALUES ($1, $2, $3, $4, $5, $6, NULL)`,
      [account.code, account.kind, account.type, account.normalBalance, account.currency, account.party],
    );
    const xid = (await blocker.query(`SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text AS xid`))
      .rows[0].xid as string;
    const input = await captureInput(world.ledger, {
      merchantId,
      goods: 3_000,
      occurredAt: '2026-10-03T10:00:00Z',
    });
    const posting = world.ledger.post(
      orderCaptureEntry({ ...input, carrier: { carrierId, cost: { amount: 500, currency: 'EUR' } } }),
    );
    // Wait until the posting waits on the blocker's row (its lines are inserted by then).
    for (let i = 0; ; i++) {
      const waiting = await blocker.query(
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE NOT granted AND locktype = 'transactionid' AND transactionid::text = $1`,
        [xid],
      );
      if (waiting.rows[0].n > 0) break;
      if (i > 200) throw new Error('the posting never waited on the blocker');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return {
      posting,
      release: async () => {
        await blocker.query('ROLLBACK');
        await blocker.end();
      },
    };
  }

  it('waits for a posting in flight whose line id is below a committed one, and settles both', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0 });
    const held = await postingHeldOpen(merchantId);
    await postCapture(world.ledger, { merchantId, goods: 1_000, occurredAt: '2026-10-04T10:00:00Z' });
    const runId = await open(merchantId, '2026-10-15T00:00:00Z');
    let prepared = false;
    const preparing = world.store.prepare(runId, world.fx).then((result) => {
      prepared = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(prepared).toBe(false);
    await held.release();
    await held.posting;
    const result = await preparing;

    const [inFlight, committed] = await payableLines(merchantId);
    // The held posting drew the lower line id, and became visible after the other.
    expect(inFlight!.amount).toBe(-2_500n);
    expect(committed!.amount).toBe(-1_000n);
    expect(result.linesSettled).toBe(2);
    expect((await world.store.rows(runId)).map((r) => r.net)).toEqual([3_500]);
    const claims = await claimsOf(world.db, [merchantId]);
    expect(claims.map((c) => c.lineId).sort()).toEqual([String(inFlight!.id), String(committed!.id)].sort());
  });

  it('gives up with a retryable error while postings hold the fence, and prepares once they are done', async () => {
    const merchantId = await createMerchant(world.db, { platformFeeBps: 0 });
    const impatient = new SettlementStore(world.db, undefined, { tryForMs: 100, waitForMs: 100 });
    const runId = await open(merchantId, '2026-10-15T00:00:00Z', impatient);
    const held = await postingHeldOpen(merchantId);
    const refused = await impatient.prepare(runId, world.fx).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
    expect((await world.store.getRun(runId))!.preparedAt).toBeNull();
    await held.release();
    await held.posting;
    await impatient.prepare(runId, world.fx);
    expect((await world.store.rows(runId)).map((r) => r.net)).toEqual([2_500]);
  });
});
