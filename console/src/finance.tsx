import { useState } from 'preact/hooks';
import { get, getText, idempotencyKey, post, query, saveFile, type Role } from './api';
import { DailyChart } from './chart';
import { dateTime, isoDay, money, words } from './format';
import type {
  DailyTotals,
  Mismatch,
  Reconciliation,
  ReconciliationSummary,
  SettlementRun,
  SettlementRunSummary,
} from './types';
import {
  Badge,
  ConfirmDialog,
  ErrorMessage,
  Facts,
  Field,
  PageHeading,
  href,
  navigate,
  useInterval,
  useLoad,
  usePagedList,
  EmptyRow,
  LoadMore,
} from './ui';

const daysAgo = (n: number) => isoDay(new Date(Date.now() - n * 86_400_000));
/** A datetime-local value (the browser's time zone) → ISO 8601 with zone. */
const localToIso = (value: string) => (value ? new Date(value).toISOString() : '');
const isoToLocal = (date: Date) => {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
};

/** Finance: the daily chart (finance, admin), settlement runs (finance). */
export function FinancePage({ role }: { role: Role }) {
  return (
    <section aria-labelledby="fin-heading">
      <PageHeading title="Finance">
        <span id="fin-heading">Finance</span>
      </PageHeading>
      <DailyTotalsPanel />
      {role === 'finance' ? <SettlementsPanel /> : null}
    </section>
  );
}

function DailyTotalsPanel() {
  const [range, setRange] = useState({ from: daysAgo(13), to: daysAgo(0) });
  const [draft, setDraft] = useState(range);
  const [currency, setCurrency] = useState('');
  const totals = useLoad(() => get<DailyTotals>(`/v1/finance/daily-totals${query(range)}`), [range]);
  const currencies = totals.data?.currencies ?? [];
  const shown = currency && currencies.includes(currency) ? currency : currencies[0];
  return (
    <section class="card" aria-labelledby="daily-h">
      <h2 id="daily-h">Captured, refunded and paid out per day</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setRange({ ...draft });
        }}
      >
        <Field label="From" id="d-from">
          <input
            id="d-from"
            type="date"
            required
            value={draft.from}
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
        </Field>
        <Field label="To" id="d-to">
          <input
            id="d-to"
            type="date"
            required
            value={draft.to}
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
        </Field>
        <div class="field actions">
          <button type="submit" class="button">
            Show
          </button>
        </div>
        <Field label="Currency" id="d-ccy">
          <select
            id="d-ccy"
            value={shown ?? ''}
            onChange={(e) => setCurrency(e.currentTarget.value)}
            disabled={!currencies.length}
          >
            {currencies.length === 0 ? <option value="">—</option> : null}
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
      </form>
      <ErrorMessage error={totals.error} title="Could not load the daily totals:" />
      {totals.data && shown ? <DailyChart data={totals.data} currency={shown} /> : null}
      {totals.data && !shown ? <p class="muted">No captures, refunds or payouts in this period.</p> : null}
    </section>
  );
}

function SettlementsPanel() {
  const [form, setForm] = useState({
    from: daysAgo(7),
    to: isoToLocal(new Date()),
    currency: 'EUR',
    merchantIds: '',
  });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [key, setKey] = useState(() => idempotencyKey('settlement'));
  const [openId, setOpenId] = useState('');
  const merchants = form.merchantIds
    .split(/[\s,]+/)
    .map((m) => m.trim())
    .filter(Boolean);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const run = await post<SettlementRun>(
        '/v1/settlements',
        {
          from: form.from,
          to: localToIso(form.to),
          currency: form.currency.trim().toUpperCase(),
          ...(merchants.length ? { merchantIds: merchants } : {}),
        },
        { 'idempotency-key': key },
      );
      setConfirming(false);
      setKey(idempotencyKey('settlement'));
      navigate('finance', 'settlements', run.runId);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="stl-h">
      <h2 id="stl-h">Settlement runs</h2>
      <form
        class="filters"
        aria-label="Start a settlement run"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          setConfirming(true);
        }}
      >
        <Field label="Period from" id="s-from">
          <input
            id="s-from"
            type="date"
            required
            value={form.from}
            onInput={(e) => setForm({ ...form, from: e.currentTarget.value })}
          />
        </Field>
        <Field label="Cut-off (your time)" id="s-to">
          <input
            id="s-to"
            type="datetime-local"
            required
            value={form.to}
            onInput={(e) => setForm({ ...form, to: e.currentTarget.value })}
          />
        </Field>
        <Field label="Currency" id="s-ccy">
          <input
            id="s-ccy"
            required
            pattern="[A-Za-z]{3}"
            maxLength={3}
            size={4}
            value={form.currency}
            onInput={(e) => setForm({ ...form, currency: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Merchants (optional)"
          id="s-merchants"
          hint="Ids separated by commas; empty: every merchant"
        >
          <input
            id="s-merchants"
            aria-describedby="s-merchants-hint"
            value={form.merchantIds}
            onInput={(e) => setForm({ ...form, merchantIds: e.currentTarget.value })}
          />
        </Field>
        <div class="field actions">
          <button type="submit" class="button primary">
            Start settlement run…
          </button>
        </div>
      </form>
      {confirming ? (
        <ConfirmDialog
          title="Start a settlement run?"
          confirmLabel="Start the run"
          busy={busy}
          error={error}
          onConfirm={start}
          onCancel={() => setConfirming(false)}
        >
          <p>
            Merchants {merchants.length ? merchants.join(', ') : '(all with lines in the currency)'} are paid
            what their unsettled {form.currency.toUpperCase()} lines before {dateTime(localToIso(form.to))}{' '}
            add up to. Each line is settled once, ever.
          </p>
        </ConfirmDialog>
      ) : null}
      <form
        class="filters"
        aria-label="Open a settlement run"
        onSubmit={(e) => {
          e.preventDefault();
          if (openId.trim()) navigate('finance', 'settlements', openId.trim());
        }}
      >
        <Field label="Run id" id="s-open">
          <input id="s-open" value={openId} onInput={(e) => setOpenId(e.currentTarget.value)} />
        </Field>
        <div class="field actions">
          <button type="submit" class="button">
            Open run
          </button>
        </div>
      </form>
      <SettlementRunsList />
    </section>
  );
}

/** A run's merchants in a table cell: the first few, then how many more. */
const merchantList = (ids: string[] | null) =>
  ids === null
    ? 'all'
    : ids.length <= 3
      ? ids.join(', ')
      : `${ids.slice(0, 3).join(', ')} +${ids.length - 3} more`;

/** Past settlement runs, newest first, a page at a time (GET /v1/settlements). */
function SettlementRunsList() {
  const list = usePagedList<SettlementRunSummary>(
    (cursor) => `/v1/settlements${query({ limit: 20, cursor })}`,
    [],
  );
  const { first, rows } = list;
  return (
    <>
      <div class="toolbar">
        <h3>Past runs</h3>
        <button type="button" class="button" onClick={() => first.reload()}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={first.error} title="Could not list settlement runs:" />
      <div class="table-wrap">
        <table class="data">
          <caption class="visually-hidden">Settlement runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Currency</th>
              <th scope="col">Period</th>
              <th scope="col">Merchants</th>
              <th scope="col" class="num">
                Lines settled
              </th>
              <th scope="col">Requested by</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.runId}>
                <td>
                  <a href={href('finance', 'settlements', r.runId)}>{r.runId}</a>
                </td>
                <td>
                  <Badge value={r.status} />
                </td>
                <td>{r.currency}</td>
                <td>
                  {dateTime(r.period.from)} → {dateTime(r.period.to)}
                </td>
                <td>{merchantList(r.merchantIds)}</td>
                <td class="num">{r.linesSettled ?? '—'}</td>
                <td>{r.requestedBy}</td>
                <td>{dateTime(r.createdAt)}</td>
              </tr>
            ))}
            {!first.loading && !first.error && rows.length === 0 ? (
              <EmptyRow columns={8}>No settlement run yet.</EmptyRow>
            ) : null}
          </tbody>
        </table>
      </div>
      <LoadMore list={list} label="Load more runs" />
    </>
  );
}

/** RFC 4180 CSV → rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const TOTAL_NAMES: [string, string][] = [
  ['gross', 'Gross'],
  ['refunds', 'Refunds'],
  ['fees', 'Fees'],
  ['dutiesTaxes', 'Duties and taxes'],
  ['carrier', 'Carrier'],
  ['reserveHeld', 'Reserve held'],
  ['reserveReleased', 'Reserve released'],
  ['broughtForward', 'Brought forward'],
  ['other', 'Other'],
  ['net', 'Net'],
  ['carriedForward', 'Carried forward'],
];

const REPORT_SHOWN = [
  'merchant',
  'lines',
  'gross',
  'refunds',
  'fees',
  'carrier',
  'net',
  'payout_currency',
  'payout_amount',
  'status',
  'note',
];

/** A settlement run: progress while it runs, then totals, the per-merchant table and the CSV. */
export function SettlementPage({ runId }: { runId: string }) {
  const run = useLoad(() => get<SettlementRun>(`/v1/settlements/${encodeURIComponent(runId)}`), [runId]);
  const r = run.data;
  const active = !run.error && (!r || r.status === 'starting' || r.status === 'running');
  useInterval(run.reload, 1000, active);
  const completed = r?.status === 'completed';
  const report = useLoad(
    () =>
      completed
        ? getText(`/v1/settlements/${encodeURIComponent(runId)}/report.csv`)
        : Promise.resolve(undefined),
    [runId, completed],
  );
  const [saved, setSaved] = useState('');
  const csv = report.data ? parseCsv(report.data.text) : [];
  const header = csv[0] ?? [];
  const columns = REPORT_SHOWN.map((name) => header.indexOf(name)).filter((i) => i >= 0);
  const done = r?.progress.merchantsDone ?? 0;
  const total = r?.progress.merchantsTotal ?? null;

  const download = () => {
    if (!report.data) return;
    const name = report.data.filename ?? `settlement-${runId}.csv`;
    saveFile(report.data.text, name, 'text/csv;charset=utf-8');
    setSaved(`Saved ${name}.`);
  };

  return (
    <section aria-labelledby="run-heading">
      <p class="crumbs">
        <a href={href('finance')}>← Finance</a>
      </p>
      <PageHeading title={`Settlement run ${runId}`}>
        <span id="run-heading">Settlement run {runId}</span> {r ? <Badge value={r.status} /> : null}
      </PageHeading>
      <ErrorMessage error={run.error} title="Could not load the run:" />
      {r ? (
        <>
          <div class="grid">
            <section class="card" aria-labelledby="run-sum-h">
              <h2 id="run-sum-h">Run</h2>
              <Facts
                rows={[
                  ['Currency', r.currency],
                  ['Period', `${dateTime(r.period.from)} → ${dateTime(r.period.to)}`],
                  ['Merchants', r.merchantIds ? r.merchantIds.join(', ') : 'all'],
                  ['Requested by', r.requestedBy],
                  ['Started', dateTime(r.createdAt)],
                  ['Completed', dateTime(r.completedAt)],
                  ['Lines settled', r.linesSettled ?? '—'],
                  ['Workflow', r.workflowId],
                ]}
              />
              {r.refusal ? (
                <div class="error" role="alert">
                  Refused: <code>{r.refusal.code}</code> {r.refusal.message}
                </div>
              ) : null}
            </section>
            <section class="card" aria-labelledby="run-prog-h">
              <h2 id="run-prog-h">Progress</h2>
              <p>
                Phase: <strong>{words(r.phase)}</strong>
              </p>
              <label for="run-progress">
                Merchants paid: {done}
                {total !== null ? ` of ${total}` : ''}
              </label>
              <progress id="run-progress" max={total ?? 1} value={total === null ? undefined : done} />
              {r.outcomes ? (
                <ul class="outcomes">
                  {Object.entries(r.outcomes).map(([k, v]) => (
                    <li key={k}>
                      <Badge value={k} /> {v}
                    </li>
                  ))}
                </ul>
              ) : null}
              {r.payouts?.length ? (
                <p>
                  Paid out:{' '}
                  {r.payouts
                    .map(
                      (p) =>
                        `${money(p.amount, p.currency)} in ${p.count} transfer${p.count === 1 ? '' : 's'}`,
                    )
                    .join('; ')}
                </p>
              ) : null}
            </section>
            {r.totals ? (
              <section class="card" aria-labelledby="run-tot-h">
                <h2 id="run-tot-h">Totals</h2>
                <table class="data compact">
                  <caption class="visually-hidden">Totals of the run in {r.currency}</caption>
                  <tbody>
                    {TOTAL_NAMES.map(([k, label]) => (
                      <tr key={k}>
                        <th scope="row">{label}</th>
                        <td class="num">{money(Number(r.totals![k] ?? 0), r.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ) : null}
          </div>
          {completed ? (
            <section class="card" aria-labelledby="run-rep-h">
              <h2 id="run-rep-h">Per merchant</h2>
              <ErrorMessage error={report.error} title="Could not load the report:" />
              <div class="toolbar">
                <button type="button" class="button primary" onClick={download} disabled={!report.data}>
                  Download CSV
                </button>
                <span role="status" aria-live="polite">
                  {saved}
                </span>
              </div>
              {csv.length > 1 ? (
                <div class="table-wrap">
                  <table class="data report">
                    <caption class="visually-hidden">
                      The run's report, one row per merchant, then the total
                    </caption>
                    <thead>
                      <tr>
                        {columns.map((i) => (
                          <th key={i} scope="col">
                            {words(header[i]!)}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {csv.slice(1).map((row, n) => (
                        <tr key={n} class={row[0] === 'TOTAL' ? 'total' : ''}>
                          {columns.map((i) => (
                            <td key={i} class={/^-?[\d.]+$/.test(row[i] ?? '') ? 'num' : ''}>
                              {row[i] ?? ''}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** Reconciliation runs: start one, list them. */
export function ReconciliationsPage() {
  const list = useLoad(
    () => get<{ data: ReconciliationSummary[]; nextCursor: string | null }>('/v1/reconciliations?limit=50'),
    [],
  );
  const yesterday = new Date(Date.now() - 86_400_000);
  yesterday.setHours(0, 0, 0, 0);
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const [form, setForm] = useState({ from: isoToLocal(yesterday), to: isoToLocal(today), currency: 'EUR' });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [key, setKey] = useState(() => idempotencyKey('reconciliation'));
  useInterval(list.reload, 2000, list.data?.data.some((r) => r.status === 'running') ?? false);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const run = await post<Reconciliation>(
        '/v1/reconciliations',
        {
          from: localToIso(form.from),
          to: localToIso(form.to),
          currency: form.currency.trim().toUpperCase(),
        },
        { 'idempotency-key': key },
      );
      setConfirming(false);
      setKey(idempotencyKey('reconciliation'));
      navigate('reconciliations', run.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="rec-heading">
      <PageHeading title="Reconciliation">
        <span id="rec-heading">Reconciliation</span>
      </PageHeading>
      <section class="card" aria-labelledby="rec-start-h">
        <h2 id="rec-start-h">Reconcile a period</h2>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setError(undefined);
            setConfirming(true);
          }}
        >
          <Field label="From (your time)" id="r-from">
            <input
              id="r-from"
              type="datetime-local"
              required
              value={form.from}
              onInput={(e) => setForm({ ...form, from: e.currentTarget.value })}
            />
          </Field>
          <Field label="To (your time)" id="r-to">
            <input
              id="r-to"
              type="datetime-local"
              required
              value={form.to}
              onInput={(e) => setForm({ ...form, to: e.currentTarget.value })}
            />
          </Field>
          <Field label="Currency" id="r-ccy">
            <input
              id="r-ccy"
              required
              pattern="[A-Za-z]{3}"
              maxLength={3}
              size={4}
              value={form.currency}
              onInput={(e) => setForm({ ...form, currency: e.currentTarget.value })}
            />
          </Field>
          <div class="field actions">
            <button type="submit" class="button primary">
              Reconcile…
            </button>
          </div>
        </form>
        {confirming ? (
          <ConfirmDialog
            title="Start a reconciliation?"
            confirmLabel="Start"
            busy={busy}
            error={error}
            onConfirm={start}
            onCancel={() => setConfirming(false)}
          >
            <p>
              The processor's {form.currency.toUpperCase()} transactions from{' '}
              {dateTime(localToIso(form.from))} to {dateTime(localToIso(form.to))} are matched with the
              ledger.
            </p>
          </ConfirmDialog>
        ) : null}
      </section>
      <section class="card" aria-labelledby="rec-list-h">
        <h2 id="rec-list-h">Runs</h2>
        <ErrorMessage error={list.error} title="Could not list reconciliations:" />
        <div class="table-wrap">
          <table class="data">
            <caption class="visually-hidden">Reconciliation runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Currency</th>
                <th scope="col">Period</th>
                <th scope="col" class="num">
                  Matched
                </th>
                <th scope="col" class="num">
                  Mismatches
                </th>
                <th scope="col">Requested by</th>
              </tr>
            </thead>
            <tbody>
              {(list.data?.data ?? []).map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={href('reconciliations', r.id)}>{r.id}</a>
                  </td>
                  <td>
                    <Badge value={r.status} />
                  </td>
                  <td>{r.currency}</td>
                  <td>
                    {dateTime(r.period.from)} → {dateTime(r.period.to)}
                  </td>
                  <td class="num">{r.counts?.matched ?? '—'}</td>
                  <td class="num">
                    {r.counts ? r.counts.missing + r.counts.extra + r.counts.differentAmount : '—'}
                  </td>
                  <td>{r.requestedBy}</td>
                </tr>
              ))}
              {list.data && list.data.data.length === 0 ? (
                <EmptyRow columns={7}>No reconciliation yet.</EmptyRow>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
}

/** One reconciliation: counts, totals, fees and the mismatches. */
export function ReconciliationPage({ id, role }: { id: string; role: Role }) {
  const [kind, setKind] = useState('');
  const rec = useLoad(
    () => get<Reconciliation>(`/v1/reconciliations/${encodeURIComponent(id)}${query({ kind })}`),
    [id, kind],
  );
  const r = rec.data;
  useInterval(rec.reload, 1000, !rec.error && (!r || r.status === 'running'));
  const c = r?.counts;
  return (
    <section aria-labelledby="recp-heading">
      <p class="crumbs">
        <a href={href('reconciliations')}>← Reconciliation</a>
      </p>
      <PageHeading title={`Reconciliation ${id}`}>
        <span id="recp-heading">Reconciliation {id}</span> {r ? <Badge value={r.status} /> : null}
      </PageHeading>
      <ErrorMessage error={rec.error} title="Could not load the reconciliation:" />
      {r ? (
        <>
          {r.error ? (
            <div class="error" role="alert">
              {r.error}
            </div>
          ) : null}
          <div class="grid">
            <section class="card" aria-labelledby="recp-sum-h">
              <h2 id="recp-sum-h">Run</h2>
              <Facts
                rows={[
                  ['Processor', r.processor],
                  ['Currency', r.currency],
                  ['Period', `${dateTime(r.period.from)} → ${dateTime(r.period.to)}`],
                  ['Requested by', r.requestedBy],
                  ['Started', dateTime(r.createdAt)],
                  ['Completed', dateTime(r.completedAt)],
                  ...(r.progress && r.status === 'running'
                    ? ([
                        [
                          'Progress',
                          `${words(r.progress.phase)}: ${r.progress.processorTransactions} transactions read`,
                        ],
                      ] as [string, string][])
                    : []),
                ]}
              />
            </section>
            {c ? (
              <section class="card" aria-labelledby="recp-counts-h">
                <h2 id="recp-counts-h">Counts</h2>
                <Facts
                  rows={[
                    ['Processor transactions', c.processorTransactions],
                    ['Ledger entries', c.ledgerEntries],
                    ['Matched', c.matched],
                    ['Missing in the ledger', c.missing],
                    ['Extra in the ledger', c.extra],
                    ['Different amount', c.differentAmount],
                    ['Matched across periods', c.matchedAcrossPeriods],
                    ['Unposted, net zero', c.unpostedNetZero],
                  ]}
                />
              </section>
            ) : null}
            {r.totals ? (
              <section class="card" aria-labelledby="recp-tot-h">
                <h2 id="recp-tot-h">Totals</h2>
                <Facts
                  rows={[
                    [
                      'Processor gross',
                      money(r.totals.processorGross.amount, r.totals.processorGross.currency),
                    ],
                    ['Processor fees', money(r.totals.processorFees.amount, r.totals.processorFees.currency)],
                    ['Processor net', money(r.totals.processorNet.amount, r.totals.processorNet.currency)],
                    [
                      'Ledger clearing',
                      money(r.totals.ledgerClearing.amount, r.totals.ledgerClearing.currency),
                    ],
                    ...(r.fees
                      ? ([
                          ['Fees difference', money(r.fees.difference.amount, r.fees.difference.currency)],
                        ] as [string, string][])
                      : []),
                  ]}
                />
                {r.fees ? <p class="hint">{r.fees.note}</p> : null}
              </section>
            ) : null}
          </div>
          {r.status === 'completed' ? (
            <section class="card" aria-labelledby="recp-mm-h">
              <h2 id="recp-mm-h">Mismatches</h2>
              <div class="filters">
                <Field label="Kind" id="mm-kind">
                  <select id="mm-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
                    <option value="">Every kind</option>
                    <option value="missing">missing (no ledger entry)</option>
                    <option value="extra">extra (no processor transaction)</option>
                    <option value="different_amount">different amount</option>
                  </select>
                </Field>
              </div>
              <Mismatches rows={r.mismatches} role={role} />
              {r.nextMismatchCursor ? <p class="hint">More mismatches than shown: filter by kind.</p> : null}
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function Mismatches({ rows, role }: { rows: Mismatch[]; role: Role }) {
  if (rows.length === 0) return <p class="muted">No mismatch.</p>;
  const amount = (m: { amount: number; currency: string } | null) => (m ? money(m.amount, m.currency) : '—');
  return (
    <div class="table-wrap">
      <table class="data">
        <caption class="visually-hidden">Mismatches between the processor and the ledger</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Category</th>
            <th scope="col">Match key</th>
            <th scope="col">Order</th>
            <th scope="col" class="num">
              Processor
            </th>
            <th scope="col" class="num">
              Ledger
            </th>
            <th scope="col" class="num">
              Difference
            </th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id}>
              <td>
                <Badge value={m.kind} />
              </td>
              <td>{words(m.category)}</td>
              <td>
                <code>{m.matchKey}</code>
              </td>
              <td>
                {m.orderId ? (
                  role === 'finance' ? (
                    <a href={href('orders', m.orderId)}>{m.orderId}</a>
                  ) : (
                    m.orderId
                  )
                ) : (
                  '—'
                )}
              </td>
              <td class="num">{amount(m.processorAmount)}</td>
              <td class="num">{amount(m.ledgerAmount)}</td>
              <td class="num">{amount(m.difference)}</td>
              <td>{m.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
