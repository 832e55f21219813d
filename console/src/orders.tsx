import { useState } from 'preact/hooks';
// The server's own list (a pure module: types and constants, bundled into the console).
import { ORDER_STATUSES } from '../../src/domain/orders/types';
import { get, idempotencyKey, post, query, type Role } from './api';
import { age, dateTime, minorDigits, money, toMinor, words } from './format';
import type {
  ConsoleSettings,
  Order,
  OrderLedger,
  OrderSummary,
  RefundResult,
  Timeline,
  TimelineEntry,
} from './types';
import {
  Badge,
  ConfirmDialog,
  ErrorMessage,
  Facts,
  Field,
  PageHeading,
  href,
  useInterval,
  useLoad,
  usePagedList,
  EmptyRow,
  LoadMore,
} from './ui';

const STATUSES: readonly string[] = ORDER_STATUSES;
const FINAL = new Set(['completed', 'rejected', 'cancelled', 'failed']);
/** Statuses an order cannot be cancelled in: gone, or the carrier has the parcel (the API says 409). */
const NOT_CANCELLABLE = new Set([
  ...FINAL,
  'cancelling',
  'compensating',
  'in_transit',
  'delivery_exception',
  'delivered',
  'returned',
]);

interface Filters {
  q: string;
  status: string;
  merchantId: string;
  attentionOnly: boolean;
}

/** Orders, needing attention first, then newest; search by id prefix, filter by status and merchant. */
export function OrdersList() {
  const [draft, setDraft] = useState<Filters>({ q: '', status: '', merchantId: '', attentionOnly: false });
  const [filters, setFilters] = useState<Filters>(draft);
  const params = (f: Filters, after?: string) =>
    query({
      sort: 'attention',
      limit: 50,
      orderIdPrefix: f.q.trim(),
      status: f.status,
      merchantId: f.merchantId.trim(),
      needsAttention: f.attentionOnly ? true : undefined,
      cursor: after,
    });

  const list = usePagedList<OrderSummary>((after) => `/v1/orders${params(filters, after)}`, [filters]);
  const { first, rows, cursor } = list;
  const now = Date.now();
  const apply = (next: Filters) => {
    setDraft(next);
    setFilters(next);
  };
  return (
    <section aria-labelledby="orders-heading">
      <PageHeading title="Orders">
        <span id="orders-heading">Orders</span>
      </PageHeading>
      <form
        class="filters"
        role="search"
        aria-label="Find orders"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ ...draft });
        }}
      >
        <Field label="Order id starts with" id="f-q">
          <input
            id="f-q"
            type="search"
            value={draft.q}
            autoComplete="off"
            spellcheck={false}
            onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
          />
        </Field>
        <Field label="Status" id="f-status">
          <select
            id="f-status"
            value={draft.status}
            onChange={(e) => apply({ ...draft, status: e.currentTarget.value })}
          >
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {words(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Merchant id" id="f-merchant">
          <input
            id="f-merchant"
            type="text"
            value={draft.merchantId}
            autoComplete="off"
            onInput={(e) => setDraft({ ...draft, merchantId: e.currentTarget.value })}
          />
        </Field>
        <div class="field checkbox">
          <input
            id="f-attention"
            type="checkbox"
            checked={draft.attentionOnly}
            onChange={(e) => apply({ ...draft, attentionOnly: e.currentTarget.checked })}
          />
          <label for="f-attention">Needs attention only</label>
        </div>
        <div class="field actions">
          <button type="submit" class="button primary">
            Search
          </button>
          <button type="button" class="button" onClick={() => first.reload()}>
            Refresh
          </button>
        </div>
      </form>
      <ErrorMessage error={first.error} title="Could not list orders:" />
      <p class="count" role="status" aria-live="polite">
        {first.loading
          ? 'Loading…'
          : `${rows.length} order${rows.length === 1 ? '' : 's'}${cursor ? ' (more below)' : ''}`}
      </p>
      <div class="table-wrap">
        <table class="data orders">
          <caption class="visually-hidden">Orders, needing attention first, then newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Merchant</th>
              <th scope="col">Status</th>
              <th scope="col">Destination</th>
              <th scope="col" class="num">
                Amount
              </th>
              <th scope="col" class="num">
                Age
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.orderId} class={o.needsAttention ? 'attention' : ''}>
                <td>
                  <a href={href('orders', o.orderId)}>{o.orderId}</a>
                </td>
                <td>{o.merchantId}</td>
                <td>
                  <Badge value={o.status} />
                  {o.needsAttention && o.status !== 'needs_attention' ? (
                    <Badge value="needs_attention" />
                  ) : null}
                  {o.currentStep ? <span class="step-hint"> {words(o.currentStep)}</span> : null}
                </td>
                <td>{o.shipToCountry}</td>
                <td class="num">{money(o.total.amount, o.total.currency)}</td>
                <td class="num">
                  <time dateTime={o.placedAt} title={dateTime(o.placedAt)}>
                    {age(o.placedAt, now)}
                  </time>
                </td>
              </tr>
            ))}
            {!first.loading && rows.length === 0 ? <EmptyRow columns={6}>No orders match.</EmptyRow> : null}
          </tbody>
        </table>
      </div>
      <LoadMore list={list} label="Load more orders" />
    </section>
  );
}

type Action = 'cancel' | 'approve' | 'reject' | 'retry' | 'refund';

/** One order: its saga as steps, amounts, declaration, label, tracking, and what the role may do. */
export function OrderPage({
  orderId,
  role,
  settings,
}: {
  orderId: string;
  role: Role;
  settings: ConsoleSettings | undefined;
}) {
  const order = useLoad(() => get<Order>(`/v1/orders/${encodeURIComponent(orderId)}`), [orderId]);
  const timeline = useLoad(
    () => get<Timeline>(`/v1/orders/${encodeURIComponent(orderId)}/timeline`),
    [orderId],
  );
  // The ledger is finance's: other roles do not ask for it.
  const ledger = useLoad(
    () =>
      role === 'finance'
        ? get<OrderLedger>(`/v1/orders/${encodeURIComponent(orderId)}/ledger`)
        : Promise.resolve(null),
    [orderId, role],
  );
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState('');
  const o = order.data;
  const running = o ? !FINAL.has(o.status) : false;
  useInterval(
    () => {
      order.reload();
      timeline.reload();
    },
    3000,
    running && action === null,
  );

  const done = (message: string) => {
    setAction(null);
    setNotice(message);
    order.reload();
    timeline.reload();
    ledger.reload();
  };

  const captured = o?.amounts?.captured?.amount ?? 0;
  const refunded = o?.amounts?.refunded?.amount ?? 0;
  const can = {
    cancel: role === 'support' && o !== undefined && !NOT_CANCELLABLE.has(o.status),
    review:
      role === 'support' && (o?.status === 'awaiting_review' || o?.status === 'awaiting_customs_correction'),
    retry: role === 'support' && (o?.status === 'needs_attention' || o?.attention !== undefined),
    refund: role === 'finance' && captured - refunded > 0,
  };
  const temporalLink =
    settings?.temporalUiUrl &&
    `${settings.temporalUiUrl}/namespaces/${encodeURIComponent(settings.temporalNamespace)}/workflows?query=${encodeURIComponent(
      `WorkflowId="order-${orderId}"`,
    )}`;

  return (
    <section aria-labelledby="order-heading">
      <p class="crumbs">
        <a href={href('orders')}>← Orders</a>
      </p>
      <PageHeading title={`Order ${orderId}`}>
        <span id="order-heading">Order {orderId}</span> {o ? <Badge value={o.status} /> : null}
      </PageHeading>
      <ErrorMessage error={order.error} title="Could not load the order:" />
      <p role="status" aria-live="polite" class="notice">
        {notice}
      </p>
      {o ? (
        <>
          <div class="toolbar" role="group" aria-label="Actions">
            {can.cancel ? (
              <button type="button" class="button danger" onClick={() => setAction('cancel')}>
                Cancel order
              </button>
            ) : null}
            {can.review ? (
              <>
                <button type="button" class="button primary" onClick={() => setAction('approve')}>
                  Approve review
                </button>
                <button type="button" class="button danger" onClick={() => setAction('reject')}>
                  Reject review
                </button>
              </>
            ) : null}
            {can.retry ? (
              <button type="button" class="button" onClick={() => setAction('retry')}>
                Retry compensation
              </button>
            ) : null}
            {can.refund ? (
              <button type="button" class="button primary" onClick={() => setAction('refund')}>
                Refund
              </button>
            ) : null}
            {temporalLink ? (
              <a class="button link" href={temporalLink} target="_blank" rel="noopener noreferrer">
                Workflow order-{orderId} in Temporal UI
                <span class="visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : null}
          </div>
          {o.attention ? (
            <div class="callout bad" role="note">
              <strong>Needs attention</strong> at {words(o.attention.step)}: <code>{o.attention.code}</code>{' '}
              {o.attention.message} ({dateTime(o.attention.at)})
            </div>
          ) : null}
          <div class="grid">
            <section class="card" aria-labelledby="sum-h">
              <h2 id="sum-h">Summary</h2>
              <Facts
                rows={[
                  ['Merchant', o.merchantId],
                  ['Status', words(o.status)],
                  ['Current step', o.currentStep ? words(o.currentStep) : '—'],
                  ['Destination', o.shipToCountry],
                  ['Placed', dateTime(o.placedAt)],
                  ['Updated', dateTime(o.updatedAt)],
                  ['Quote', o.quoteId],
                  ['Payment intent', o.paymentIntentId ?? '—'],
                  [
                    'Next deadline',
                    o.nextDeadline ? `${o.nextDeadline.what} at ${dateTime(o.nextDeadline.at)}` : '—',
                  ],
                  [
                    'Outcome',
                    o.outcome ? `${o.outcome.code ? `${o.outcome.code}: ` : ''}${o.outcome.reason}` : '—',
                  ],
                  [
                    'Last error',
                    o.lastError
                      ? `${words(o.lastError.step)}: ${o.lastError.code} ${o.lastError.message}`
                      : '—',
                  ],
                ]}
              />
            </section>
            <Amounts order={o} />
            <Declaration order={o} />
            <Label order={o} />
          </div>
          <section class="card" aria-labelledby="tl-h">
            <h2 id="tl-h">Timeline</h2>
            <ErrorMessage error={timeline.error} title="Could not load the timeline:" />
            {timeline.data ? <Steps timeline={timeline.data} /> : <p>Loading…</p>}
          </section>
          <Tracking order={o} />
          {role === 'finance' ? (
            <section class="card" aria-labelledby="ledger-h">
              <h2 id="ledger-h">Ledger</h2>
              <ErrorMessage error={ledger.error} title="Could not load the ledger:" />
              {ledger.data ? <Ledger ledger={ledger.data} /> : <p>Loading…</p>}
            </section>
          ) : null}
          {action ? (
            <ActionDialog action={action} order={o} onDone={done} onCancel={() => setAction(null)} />
          ) : null}
        </>
      ) : order.loading ? (
        <p>Loading…</p>
      ) : null}
    </section>
  );
}

const MONEY_ROWS: [keyof OrderLedger['money'][number], string][] = [
  ['captured', 'Captured'],
  ['refunded', 'Refunded'],
  ['processorFees', 'Processor fees'],
  ['platformFees', 'Platform fees'],
  ['merchant', 'Owed to the merchant'],
  ['carrier', 'Owed to the carrier'],
  ['dutiesAndTaxes', 'Duties and taxes owed'],
];

/** Where the order's money went (per currency), then its entries with the run that settled each line. */
function Ledger({ ledger }: { ledger: OrderLedger }) {
  if (ledger.entries.length === 0) return <p class="muted">Nothing posted yet.</p>;
  return (
    <>
      <table class="data compact">
        <caption>Where the money went</caption>
        <thead>
          <tr>
            <th scope="col">Part</th>
            {ledger.money.map((m) => (
              <th key={m.currency} scope="col" class="num">
                {m.currency}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {MONEY_ROWS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {ledger.money.map((m) => (
                <td key={m.currency} class="num">
                  {money(m[key] as number, m.currency)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <table class="data compact">
        <caption>Entries</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Entry</th>
            <th scope="col">Account</th>
            <th scope="col" class="num">
              Debit (+) / credit (−)
            </th>
            <th scope="col">Settled by</th>
          </tr>
        </thead>
        <tbody>
          {ledger.entries.flatMap((e) =>
            e.lines.map((l) => (
              <tr key={`${e.id}-${l.lineNo}`}>
                <td>{l.lineNo === 1 ? dateTime(e.occurredAt) : ''}</td>
                <td>{l.lineNo === 1 ? <code>{e.businessKey}</code> : ''}</td>
                <td>
                  <code>{l.account}</code>
                </td>
                <td class="num">{money(l.amount.amount, l.amount.currency)}</td>
                <td>
                  {l.settlementRunId ? (
                    <a href={href('finance', 'settlements', l.settlementRunId)}>{l.settlementRunId}</a>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </>
  );
}

function Amounts({ order }: { order: Order }) {
  const a = order.amounts;
  if (!a) return null;
  const rows: [string, { amount: number; currency: string } | undefined][] = [
    ['Charge', a.charge],
    ['Goods', a.goods],
    ['Shipping', a.shipping],
    ['Duties', a.duties],
    ['Taxes', a.taxes],
    ['Customs fees', a.fees],
    ['Due on delivery', a.dueOnDelivery],
    ['Authorised', a.authorized],
    ['Captured', a.captured],
    ['Refunded', a.refunded],
  ];
  return (
    <section class="card" aria-labelledby="amt-h">
      <h2 id="amt-h">Amounts</h2>
      <table class="data compact">
        <caption class="visually-hidden">Amounts of the order</caption>
        <tbody>
          {rows
            .filter(([, m]) => m !== undefined)
            .map(([label, m]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td class="num">{money(m!.amount, m!.currency)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

function Declaration({ order }: { order: Order }) {
  const d = order.declaration;
  return (
    <section class="card" aria-labelledby="decl-h">
      <h2 id="decl-h">Customs declaration</h2>
      {d ? (
        <>
          <Facts
            rows={[
              ['Declaration', d.declarationId],
              ['Status', <Badge key="s" value={d.status} />],
              ['Movement reference', d.movementReference ?? '—'],
            ]}
          />
          {d.issues.length ? (
            <ul class="issues">
              {d.issues.map((i, n) => (
                <li key={n}>
                  <code>{i.code}</code> {i.lineNumber ? `line ${i.lineNumber}: ` : ''}
                  {i.message}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : (
        <p class="muted">Not filed yet.</p>
      )}
    </section>
  );
}

function Label({ order }: { order: Order }) {
  const l = order.label;
  return (
    <section class="card" aria-labelledby="label-h">
      <h2 id="label-h">Label</h2>
      {l ? (
        <Facts
          rows={[
            ['Carrier', `${l.carrier} · ${l.service}`],
            ['Tracking number', l.trackingNumber],
            ['Shipment', l.shipmentId],
            ['Cost', money(l.cost.amount, l.cost.currency)],
            [
              'Label',
              /^https?:\/\//.test(l.labelUrl) ? (
                <a key="l" href={l.labelUrl} target="_blank" rel="noopener noreferrer">
                  Open label<span class="visually-hidden"> (opens in a new tab)</span>
                </a>
              ) : (
                l.labelUrl
              ),
            ],
          ]}
        />
      ) : (
        <p class="muted">No label bought yet.</p>
      )}
    </section>
  );
}

function Tracking({ order }: { order: Order }) {
  const t = order.tracking;
  if (!t) return null;
  return (
    <section class="card" aria-labelledby="trk-h">
      <h2 id="trk-h">
        Tracking <Badge value={t.status} />
      </h2>
      <Facts
        rows={[
          ['Handed over', dateTime(t.handedOverAt)],
          ['Delivered', dateTime(t.deliveredAt)],
          ['Last event', dateTime(t.lastEventAt)],
        ]}
      />
      {t.events.length ? (
        <ol class="events">
          {t.events.map((e) => (
            <li key={e.eventId}>
              <time dateTime={e.occurredAt}>{dateTime(e.occurredAt)}</time> <Badge value={e.status} />{' '}
              {e.description}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

const STEP_SYMBOL: Record<TimelineEntry['status'], string> = {
  done: '✓',
  running: '…',
  failed: '✕',
  compensated: '↺',
  skipped: '–',
};

/** The saga drawn as steps, in order, with their state in words (not only in colour). */
function Steps({ timeline }: { timeline: Timeline }) {
  if (timeline.timeline.length === 0) return <p class="muted">No step has started yet.</p>;
  return (
    <>
      <ol class="steps">
        {timeline.timeline.map((s, n) => (
          <li key={`${s.step}-${n}`} class={`step step-${s.status}`}>
            <span class="step-marker" aria-hidden="true">
              {STEP_SYMBOL[s.status]}
            </span>
            <div class="step-body">
              <div class="step-title">
                <strong>{words(s.step)}</strong> <Badge value={s.status} />
                {s.attempts > 1 ? <span class="attempts"> {s.attempts} attempts</span> : null}
              </div>
              <div class="step-times">
                {dateTime(s.startedAt)}
                {s.endedAt ? ` → ${dateTime(s.endedAt)}` : ''}
              </div>
              {s.detail ? <div class="step-detail">{s.detail}</div> : null}
              {s.error ? (
                <div class="step-error">
                  <code>{s.error.code}</code> {s.error.message}
                </div>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      {timeline.pending.length ? (
        <div class="pending">
          <h3>Running now</h3>
          <ul>
            {timeline.pending.map((p, n) => (
              <li key={n}>
                {p.activity}, attempt {p.attempt}
                {p.lastFailure ? ` — last failure: ${p.lastFailure}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

const REFUND_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent'];

function ActionDialog(props: {
  action: Action;
  order: Order;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { action, order } = props;
  const currency = order.amounts?.currency ?? 'USD';
  const left = (order.amounts?.captured?.amount ?? 0) - (order.amounts?.refunded?.amount ?? 0);
  const [text, setText] = useState('');
  const [amount, setAmount] = useState((left / 10 ** minorDigits(currency)).toFixed(minorDigits(currency)));
  const [reason, setReason] = useState(REFUND_REASONS[0]!);
  // A customs correction: the lines the broker raised an issue on, each redeclared by support.
  const correcting = order.status === 'awaiting_customs_correction' && action === 'approve';
  const issueLines = [
    ...new Set(
      (order.declaration?.issues ?? []).map((i) => i.lineNumber).filter((n): n is number => n !== undefined),
    ),
  ].sort((a, b) => a - b);
  const [corrections, setCorrections] = useState<Record<number, { description: string; hsCode: string }>>({});
  const correct = (line: number, field: 'description' | 'hsCode', value: string) =>
    setCorrections((c) => ({
      ...c,
      [line]: { description: '', hsCode: '', ...c[line], [field]: value },
    }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // One key per dialog: confirming again after an error repeats the same refund, never a second one.
  const [key] = useState(() => idempotencyKey('refund'));
  const id = encodeURIComponent(order.orderId);

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'cancel') {
        await post(`/v1/orders/${id}/cancel`, { reason: text });
        props.onDone('The order was cancelled.');
      } else if (action === 'approve' || action === 'reject') {
        const lines = correcting
          ? Object.entries(corrections)
              .map(([line, c]) => ({
                lineNumber: Number(line),
                ...(c.description.trim() ? { description: c.description.trim() } : {}),
                ...(c.hsCode.trim() ? { hsCode: c.hsCode.trim() } : {}),
              }))
              .filter((c) => 'description' in c || 'hsCode' in c)
          : [];
        await post(`/v1/orders/${id}/review`, {
          decision: action,
          note: text,
          ...(lines.length ? { corrections: lines } : {}),
        });
        props.onDone(action === 'approve' ? 'The review was approved.' : 'The review was rejected.');
      } else if (action === 'retry') {
        await post(`/v1/orders/${id}/retry`, {});
        props.onDone('The compensation runs again.');
      } else {
        const minor = toMinor(amount, currency);
        const body = {
          amount: { amount: minor ?? Number.NaN, currency },
          reason,
          ...(text ? { note: text } : {}),
        };
        const result = await post<RefundResult>(`/v1/orders/${id}/refunds`, body, { 'idempotency-key': key });
        props.onDone(
          `Refunded ${money(result.amount.amount, result.amount.currency)} (${result.status}); ` +
            `${money(result.refundable.amount, result.refundable.currency)} left to refund.`,
        );
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const title = {
    cancel: `Cancel order ${order.orderId}?`,
    approve: `Approve the review of ${order.orderId}?`,
    reject: `Reject the review of ${order.orderId}?`,
    retry: `Retry the failed compensation of ${order.orderId}?`,
    refund: `Refund order ${order.orderId}?`,
  }[action];
  const confirm = {
    cancel: 'Cancel the order',
    approve: 'Approve',
    reject: 'Reject',
    retry: 'Retry',
    refund: 'Refund',
  }[action];

  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirm}
      danger={action === 'cancel' || action === 'reject' || action === 'refund'}
      busy={busy}
      error={error}
      onConfirm={run}
      onCancel={props.onCancel}
    >
      {action === 'cancel' ? (
        <>
          <p>
            The steps already done are undone (label and declaration voided, payment released or refunded).
          </p>
          <Field label="Reason (required)" id="a-reason">
            <textarea
              id="a-reason"
              required
              maxLength={500}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </Field>
        </>
      ) : null}
      {correcting ? (
        <fieldset class="corrections">
          <legend>Corrections for the declaration filed again</legend>
          {(order.declaration?.issues ?? []).map((issue, n) => (
            <p key={n} class="hint">
              {issue.lineNumber ? `Line ${issue.lineNumber}: ` : ''}
              <code>{issue.code}</code> {issue.message}
            </p>
          ))}
          {issueLines.map((line) => (
            <div key={line} class="correction">
              <Field label={`Line ${line}: description`} id={`a-desc-${line}`}>
                <input
                  id={`a-desc-${line}`}
                  maxLength={500}
                  value={corrections[line]?.description ?? ''}
                  onInput={(e) => correct(line, 'description', e.currentTarget.value)}
                />
              </Field>
              <Field
                label={`Line ${line}: HS code`}
                id={`a-hs-${line}`}
                hint="6 to 10 digits; empty keeps it"
              >
                <input
                  id={`a-hs-${line}`}
                  inputMode="numeric"
                  pattern="[0-9]{6,10}"
                  aria-describedby={`a-hs-${line}-hint`}
                  value={corrections[line]?.hsCode ?? ''}
                  onInput={(e) => correct(line, 'hsCode', e.currentTarget.value)}
                />
              </Field>
            </div>
          ))}
        </fieldset>
      ) : null}
      {action === 'approve' || action === 'reject' ? (
        <Field label="Note (required)" id="a-note">
          <textarea
            id="a-note"
            required
            maxLength={1000}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </Field>
      ) : null}
      {action === 'retry' ? <p>The failed compensation is run again, once its cause is fixed.</p> : null}
      {action === 'refund' ? (
        <>
          <p>
            Captured {money(order.amounts?.captured?.amount ?? 0, currency)}, refunded{' '}
            {money(order.amounts?.refunded?.amount ?? 0, currency)}: at most {money(left, currency)} can be
            refunded.
          </p>
          <Field label={`Amount (${currency})`} id="a-amount" hint="In the order currency, e.g. 12.50">
            <input
              id="a-amount"
              inputMode="decimal"
              required
              aria-describedby="a-amount-hint"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </Field>
          <Field label="Reason" id="a-refund-reason">
            <select id="a-refund-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
              {REFUND_REASONS.map((r) => (
                <option key={r} value={r}>
                  {words(r)}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Note (optional)" id="a-note">
            <textarea
              id="a-note"
              maxLength={1000}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </Field>
        </>
      ) : null}
    </ConfirmDialog>
  );
}
