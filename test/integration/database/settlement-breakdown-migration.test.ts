/**
 * Migration 20261126000000_settlement_breakdown_on_lines on a database that already holds
 * ledger entries and settlement claims: every merchant payable line posted before it gets the
 * settlement class and breakdown the posting code computes now, other lines get nothing, and
 * the claims keep their lines and runs.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { orderCaptureEntry, orderRefundEntry } from '../../../src/domain/ledger';
import { money } from '../../../src/domain/money';
import { carryForwardEntry, lineSettlements, settlementColumns } from '../../../src/domain/settlement';
import { migrate, MIGRATIONS_DIR } from '../../../src/infra/database';
import { createEmptyDatabase } from '../../helpers/database';
import { workedExampleCapture } from '../../helpers/ledger-example';

const MIGRATION = '20261126000000_settlement_breakdown_on_lines';

describe(`migration ${MIGRATION}`, () => {
  let db: { url: string; drop: () => Promise<void> };
  let before: string;
  let sql: Client;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    before = mkdtempSync(join(tmpdir(), 'borderline-migrations-'));
    cpSync(MIGRATIONS_DIR, before, { recursive: true });
    rmSync(join(before, MIGRATION), { recursive: true });
    await migrate({ databaseUrl: db.url, migrationsDir: before });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await db.drop();
    rmSync(before, { recursive: true, force: true });
  });

  it('gives the lines posted before it their settlement class and breakdown, and keeps the claims', async () => {
    const capture = workedExampleCapture({ orderId: 'ord_m1', merchantId: 'mer_m1' });
    const captureEntry = orderCaptureEntry(capture);
    const refundEntry = orderRefundEntry({
      refundId: 're_m1',
      capture,
      amount: money(1_000, capture.captured.currency),
      earlierEntries: [{ ...captureEntry, lines: captureEntry.lines }],
      occurredAt: '2026-11-02T00:00:00.000Z',
    });
    const carried = carryForwardEntry({
      runId: 'stl_m1',
      merchantId: 'mer_m1',
      owed: money(-300, capture.captured.currency),
      occurredAt: '2026-11-03T00:00:00.000Z',
      reason: 'negative net',
    }).entry;
    const drafts = [captureEntry, refundEntry, carried];

    // Posted as the code before the migration did: entries, accounts and lines, no breakdown.
    await sql.query(
      `INSERT INTO merchants (id, name, country, settlement_currency) VALUES ('mer_m1', 'M1', 'DE', 'EUR')`,
    );
    await sql.query('BEGIN');
    const ids: string[] = [];
    for (const draft of drafts) {
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO journal_entries (business_key, kind, order_id, merchant_id, description, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text`,
        [draft.businessKey, draft.kind, draft.orderId, draft.merchantId, draft.description, draft.occurredAt],
      );
      ids.push(rows[0]!.id);
      for (const [i, line] of draft.lines.entries()) {
        const [kind, ...rest] = line.account.split(':');
        const party = rest.length === 2 ? rest[0]! : null;
        const account = await sql.query<{ type: string; nb: string }>(
          `SELECT CASE $1 WHEN 'processor_clearing' THEN 'asset' WHEN 'fx_clearing' THEN 'asset'
                          WHEN 'platform_fee_revenue' THEN 'revenue' ELSE 'liability' END AS type,
                  CASE $1 WHEN 'processor_clearing' THEN 'debit' WHEN 'fx_clearing' THEN 'debit' ELSE 'credit' END AS nb`,
          [kind],
        );
        await sql.query(
          `INSERT INTO ledger_accounts (code, kind, type, normal_balance, currency, party, merchant_id)
           VALUES ($1, $2, $3::ledger_account_type, $4::ledger_normal_balance, $5, $6, $7)
           ON CONFLICT (code) DO NOTHING`,
          [
            line.account,
            kind,
            account.rows[0]!.type,
            account.rows[0]!.nb,
            line.amount.currency,
            party,
            kind === 'merchant_payable' || kind === 'merchant_reserve' ? party : null,
          ],
        );
        await sql.query(
          `INSERT INTO journal_lines (entry_id, line_no, account_code, currency, amount, occurred_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [ids.at(-1), i + 1, line.account, line.amount.currency, line.amount.amount, draft.occurredAt],
        );
      }
    }
    await sql.query('COMMIT');
    // A run of the old shape claimed the capture's payable line.
    const payableLine = await sql.query<{ id: string }>(
      `SELECT id::text FROM journal_lines WHERE entry_id = $1 AND account_code LIKE 'merchant_payable:%'`,
      [ids[0]],
    );
    await sql.query(
      `INSERT INTO settlement_runs (id, workflow_id, currency, period_from, period_to, requested_by)
       VALUES ('stl_m0', 'settlement-stl_m0', 'EUR', '2026-10-01', '2026-11-02', 'test')`,
    );
    await sql.query(
      `INSERT INTO settlement_items (line_id, run_id, merchant_id, entry_id, component, amount)
       SELECT id, 'stl_m0', 'mer_m1', entry_id, 'payable', amount FROM journal_lines WHERE id = $1`,
      [payableLine.rows[0]!.id],
    );

    const result = await migrate({ databaseUrl: db.url });
    expect(result.applied).toEqual([MIGRATION]);

    for (const [n, draft] of drafts.entries()) {
      const { rows } = await sql.query(
        `SELECT settlement_class, breakdown_gross, breakdown_refunds, breakdown_fees, breakdown_duties_taxes,
                breakdown_carrier, breakdown_reserve_held
           FROM journal_lines WHERE entry_id = $1 ORDER BY line_no`,
        [ids[n]],
      );
      const stored = rows.map((r) => ({
        settlementClass: r.settlement_class,
        breakdownGross: r.breakdown_gross === null ? null : Number(r.breakdown_gross),
        breakdownRefunds: r.breakdown_refunds === null ? null : Number(r.breakdown_refunds),
        breakdownFees: r.breakdown_fees === null ? null : Number(r.breakdown_fees),
        breakdownDutiesTaxes: r.breakdown_duties_taxes === null ? null : Number(r.breakdown_duties_taxes),
        breakdownCarrier: r.breakdown_carrier === null ? null : Number(r.breakdown_carrier),
        breakdownReserveHeld: r.breakdown_reserve_held === null ? null : Number(r.breakdown_reserve_held),
      }));
      expect(stored).toEqual(lineSettlements(draft).map(settlementColumns));
    }
    // The capture's payable line carries a real breakdown, the refund's too.
    expect(lineSettlements(captureEntry).some((s) => s?.breakdown && s.breakdown.gross > 0)).toBe(true);
    expect(lineSettlements(refundEntry).some((s) => s?.breakdown && s.breakdown.refunds > 0)).toBe(true);

    const claims = await sql.query(`SELECT line_id::text, run_id FROM settlement_items`);
    expect(claims.rows).toEqual([{ line_id: payableLine.rows[0]!.id, run_id: 'stl_m0' }]);
    const columns = await sql.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'settlement_items' ORDER BY column_name`,
    );
    expect(columns.rows.map((r) => r.column_name)).toEqual(['line_id', 'run_id']);
    // Lines are immutable again.
    await expect(
      sql.query(`UPDATE journal_lines SET breakdown_gross = 0 WHERE id = $1`, [payableLine.rows[0]!.id]),
    ).rejects.toThrow(/refused/);
  });
});
