/**
 * The web console (/console) in a real browser (Debian's Chromium through playwright-core),
 * against the running system: the API listening, a worker, and the Stripe, customs and carrier
 * sandboxes on the test run's PostgreSQL and Temporal. Signs in per role, finds an order, cancels
 * one (support), refunds one (finance), runs a settlement and downloads its CSV, reconciles a
 * period, and checks that an action is hidden for the wrong role and refused (403) if forced.
 *
 * Screenshots of the main pages go to docs/screenshots with SCREENSHOTS=1 (`npm run
 * screenshots`), to a temporary folder otherwise. Settlement and reconciliation keep to SEK,
 * which no other test file posts to the shared ledger.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/access';
import { LedgerStore } from '../../src/infra/ledger';
import { uniqueId } from '../helpers/database';
import {
  createQuote,
  getOrder,
  hasStatus,
  orderRequest,
  placeOrder,
  shipmentOf,
  startOrderWorld,
  waitForOrder,
  type OrderWorld,
} from '../helpers/order-world';
import { createMerchant, postCapture, postRefund } from '../helpers/settlement';
import { eventually, hasCount, hasText, isVisible, launchChromium, type Browser } from './chromium';

jest.setTimeout(180_000);

const SCREENSHOTS =
  process.env.SCREENSHOTS === '1'
    ? join(__dirname, '..', '..', 'docs', 'screenshots')
    : mkdtempSync(join(tmpdir(), 'borderline-console-shots-'));
mkdirSync(SCREENSHOTS, { recursive: true });

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let world: OrderWorld;
let browser: Browser;
let keys: Record<Role, string>;
/** A delivered order (refundable), and one paid and waiting for the carrier (cancellable). */
let delivered: { orderId: string; charge: number };
let awaitingHandover: string;
let sekMerchant: string;

async function orderAwaitingHandover(): Promise<{ orderId: string; charge: number }> {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id, { orderId: uniqueId('ord_console') });
  const placed = await placeOrder(world, body);
  if (placed.statusCode !== 201) throw new Error(`order not placed: ${placed.statusCode} ${placed.body}`);
  await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  return { orderId: body.orderId, charge: quote.chargeNow.amount };
}

beforeAll(async () => {
  // The browser first: without it the test fails at once, saying how to install it.
  browser = await launchChromium();
  // A long refund window: the delivered order stays open for finance's refund.
  world = await startOrderWorld({ refundWindowMs: 600_000 });
  keys = {} as Record<Role, string>;
  for (const role of ['checkout', 'support', 'finance', 'admin'] as Role[]) {
    keys[role] = world.auth(role).authorization.replace(/^Bearer /, '');
  }

  // The quotes' merchant first: two createQuote at once would race on its upsert.
  await world.db.merchant.createMany({
    data: [{ id: 'mer_test_outdoor', name: 'Test Outdoor Co', country: 'US', settlementCurrency: 'USD' }],
    skipDuplicates: true,
  });
  const [a, b] = await Promise.all([orderAwaitingHandover(), orderAwaitingHandover()]);
  awaitingHandover = b.orderId;
  const { shipmentId } = shipmentOf(world, a.orderId);
  world.carrier.advance(shipmentId, 'handover');
  world.carrier.advance(shipmentId, 'deliver');
  await waitForOrder(world, a.orderId, hasStatus('delivered'));
  delivered = a;

  // Ledger lines in SEK of a merchant of this file: what the chart, the settlement run and the
  // reconciliation (the processor never saw them: "extra" mismatches) read.
  const ledger = new LedgerStore(world.db);
  sekMerchant = await createMerchant(world.db, { settlementCurrency: 'SEK' }, uniqueId('mer_console'));
  const now = Date.now();
  for (const [daysAgo, goods] of [
    [3, 45_000],
    [3, 12_500],
    [2, 80_000],
  ] as const) {
    const capture = await postCapture(ledger, {
      merchantId: sekMerchant,
      currency: 'SEK',
      goods,
      shipping: 4_900,
      carrier: 3_000,
      occurredAt: new Date(now - daysAgo * DAY).toISOString(),
    });
    if (goods === 80_000)
      await postRefund(ledger, capture, 20_000, new Date(now - DAY - 3600_000).toISOString());
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** The Temporal Web UI the console links to in these tests (the test run's server has none). */
const TEMPORAL_UI = 'http://temporal-ui.example.test:8233';

async function signIn(role: Role): Promise<Page> {
  const page = await browser.context.newPage();
  // The world's API has no TEMPORAL_UI_URL: answer the settings as a configured one would.
  await page.route('**/v1/console/settings', async (route) => {
    const res = await route.fetch();
    const settings = (await res.json()) as { temporalUiUrl: string | null; temporalNamespace: string };
    await route.fulfill({ response: res, json: { ...settings, temporalUiUrl: TEMPORAL_UI } });
  });
  await page.goto(`${world.baseUrl}/console`);
  await page.getByLabel('API key').fill(keys[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await isVisible(page.getByRole('navigation', { name: 'Sections' }));
  await hasText(page.locator('.who .role'), role);
  return page;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link');

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The key the page keeps in its session (sessionStorage). */
const storedKey = (page: Page) =>
  page.evaluate<string | null>("sessionStorage.getItem('borderline.console.key')");

/** What the API answers the signed-in page when it calls `path` itself, with its session's key. */
async function forced(
  page: Page,
  method: string,
  path: string,
  body: unknown,
  extra: Record<string, string> = {},
): Promise<{ status: number; body: { error?: { code: string } } }> {
  const key = await storedKey(page);
  return page.evaluate(
    async ({ method, path, body, extra, key }) => {
      const res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extra },
        ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    },
    { method, path, body, extra, key },
  );
}

describe('the console', () => {
  it('is served without a key; every data call needs one; a checkout key cannot sign in', async () => {
    const page = await browser.context.newPage();
    const html = await page.goto(`${world.baseUrl}/console`);
    expect(html?.status()).toBe(200);
    expect(html?.headers()['content-security-policy']).toContain("script-src 'self'");
    const asset = await page.request.get(`${world.baseUrl}/console/app.js`);
    expect(asset.status()).toBe(200);
    expect(asset.headers()['content-type']).toContain('javascript');
    const settings = await page.request.get(`${world.baseUrl}/v1/console/settings`);
    expect(settings.status()).toBe(401);
    const withKey = await page.request.get(`${world.baseUrl}/v1/console/settings`, {
      headers: world.auth('support'),
    });
    expect(await withKey.json()).toEqual({
      temporalUiUrl: null,
      temporalNamespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    });

    await page.getByLabel('API key').fill(keys.checkout);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await hasText(page.getByRole('alert'), 'cannot use the console');
    await page.getByLabel('API key').fill('bl_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await hasText(page.getByRole('alert'), 'UNAUTHENTICATED');
    // The key is never in the URL.
    expect(page.url()).not.toContain('bl_');
    await page.close();
  });

  it('support finds an order by its id and cancels it; refunds are hidden, and refused if forced', async () => {
    const page = await signIn('support');
    expect(await nav(page).allInnerTexts()).toEqual(['Orders']);
    expect(await storedKey(page)).toBe(keys.support);
    expect(page.url()).not.toContain(keys.support);

    // Find it by the start of its id.
    const search = page.getByRole('search', { name: 'Find orders' });
    await search.getByLabel('Order id starts with').fill(awaitingHandover.slice(0, -3));
    await search.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('row', { name: new RegExp(awaitingHandover) });
    await hasText(row, 'awaiting handover');
    await hasText(row, 'mer_test_outdoor');
    await hasText(row, 'DE');
    await hasCount(page.getByRole('table').getByRole('row'), 2); // the header and the one order

    await search.getByLabel('Order id starts with').fill('');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('row', { name: new RegExp(delivered.orderId) }).waitFor();
    await shot(page, 'orders-list');

    await page.getByRole('link', { name: awaitingHandover }).click();
    await hasText(page.getByRole('heading', { level: 1 }), `Order ${awaitingHandover}`);
    await isVisible(page.locator('.steps .step-done').first());
    const temporal = page.getByRole('link', { name: /in Temporal UI/ });
    expect(await temporal.getAttribute('href')).toBe(
      `${TEMPORAL_UI}/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId="order-${awaitingHandover}"`)}`,
    );
    await hasCount(page.getByRole('button', { name: 'Refund' }), 0);
    // The ledger is finance's: support's page has no such section.
    await hasCount(page.getByRole('heading', { name: 'Ledger' }), 0);

    // Cancel: a confirmation dialog, the reason required; Back changes nothing.
    await page.getByRole('button', { name: 'Cancel order' }).click();
    const dialog = page.getByRole('dialog', { name: `Cancel order ${awaitingHandover}?` });
    await isVisible(dialog);
    await dialog.getByRole('button', { name: 'Back' }).click();
    await hasCount(dialog, 0);
    expect((await getOrder(world, awaitingHandover)).status).toBe('awaiting_handover');

    // By keyboard: Enter opens it with focus inside, Escape closes it and focus goes back.
    await page.getByRole('button', { name: 'Cancel order' }).focus();
    await page.keyboard.press('Enter');
    await isVisible(dialog);
    expect(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await hasCount(dialog, 0);
    // The dialog closes (Escape) a moment before the page re-renders and hands focus back.
    await eventually(
      // Tag and the start of the text: what has focus, readable in a failure's "last seen".
      () =>
        page.evaluate(`(() => { const a = document.activeElement;
        return a ? a.tagName + ' ' + (a.textContent ?? '').trim().slice(0, 40) : 'nothing'; })()`),
      (focused) => focused === 'BUTTON Cancel order',
      'focus back on the Cancel order button',
      5_000,
    );

    await page.getByRole('button', { name: 'Cancel order' }).click();
    await dialog.getByLabel('Reason (required)').fill('The shopper asked to cancel (console test)');
    await dialog.getByRole('button', { name: 'Cancel the order' }).click();
    await isVisible(page.getByRole('status').filter({ hasText: 'The order was cancelled.' }));
    await hasText(page.getByRole('heading', { level: 1 }), 'cancelled');
    await isVisible(page.locator('.steps .step-compensated').first());
    expect((await getOrder(world, awaitingHandover)).status).toBe('cancelled');

    // Refunds are finance's: hidden here, and the API refuses them if the page tries anyway.
    const refund = await forced(
      page,
      'POST',
      `/v1/orders/${delivered.orderId}/refunds`,
      { amount: { amount: 100, currency: 'USD' }, reason: 'requested_by_customer' },
      { 'idempotency-key': uniqueId('forced') },
    );
    expect(refund).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });

    await page.getByRole('link', { name: '← Orders' }).click();
    await page.getByRole('link', { name: delivered.orderId }).click();
    await hasText(page.getByRole('heading', { level: 1 }), 'delivered');
    await isVisible(page.locator('.steps .step-done').first());
    await isVisible(page.getByRole('heading', { name: 'Label' }));
    await shot(page, 'order-page');
    await page.close();
  });

  it('support redeclares the lines customs sent back, and the order goes on', async () => {
    const quote = await createQuote(world);
    const body = orderRequest(quote.id, { orderId: uniqueId('ord_console_fix') });
    world.customs.outcomes.forceReference(`order:${body.orderId}:declaration:v1`, {
      status: 'correction_requested',
      issues: [{ code: 'DESCRIPTION_VAGUE', message: 'describe the goods precisely', lineNumber: 1 }],
    });
    expect((await placeOrder(world, body)).statusCode).toBe(201);
    await waitForOrder(world, body.orderId, hasStatus('awaiting_customs_correction'));

    const page = await signIn('support');
    await page.goto(`${world.baseUrl}/console#/orders/${body.orderId}`);
    await hasText(page.getByRole('heading', { level: 1 }), 'awaiting customs correction');
    await page.getByRole('button', { name: 'Approve review' }).click();
    const dialog = page.getByRole('dialog', { name: `Approve the review of ${body.orderId}?` });
    await hasText(
      dialog.getByRole('group', { name: 'Corrections for the declaration filed again' }),
      'DESCRIPTION_VAGUE',
    );
    await dialog.getByLabel('Line 1: description').fill("Men's T-shirt, knitted cotton jersey");
    await dialog.getByLabel('Note (required)').fill('declared precisely (console test)');
    const sent = page.waitForRequest((r) => r.url().endsWith(`/v1/orders/${body.orderId}/review`));
    await dialog.getByRole('button', { name: 'Approve' }).click();
    expect((await sent).postDataJSON()).toEqual({
      decision: 'approve',
      note: 'declared precisely (console test)',
      corrections: [{ lineNumber: 1, description: "Men's T-shirt, knitted cotton jersey" }],
    });
    await isVisible(page.getByRole('status').filter({ hasText: 'The review was approved.' }));
    await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
    expect(world.customs.findByReference(`order:${body.orderId}:declaration:v2`)?.status).toBe('accepted');
    await page.close();
  });

  it('finance refunds part of a delivered order, sees the API refuse too much, and cannot cancel', async () => {
    const page = await signIn('finance');
    expect(await nav(page).allInnerTexts()).toEqual(['Orders', 'Finance', 'Reconciliation']);
    await page.goto(`${world.baseUrl}/console#/orders/${delivered.orderId}`);
    await hasText(page.getByRole('heading', { level: 1 }), delivered.orderId);
    await hasCount(page.getByRole('button', { name: 'Cancel order' }), 0);

    // Too much: the API's answer is shown as it is, and nothing is refunded.
    await page.getByRole('button', { name: 'Refund' }).click();
    const dialog = page.getByRole('dialog', { name: `Refund order ${delivered.orderId}?` });
    await dialog.getByLabel('Amount (USD)').fill(((delivered.charge + 100) / 100).toFixed(2));
    await dialog.getByRole('button', { name: 'Refund' }).click();
    await hasText(dialog.getByRole('alert'), 'BUSINESS_RULE_VIOLATION');
    await hasText(dialog.getByRole('alert'), 'is left');

    await dialog.getByLabel('Amount (USD)').fill('10.00');
    await dialog.getByLabel('Reason').selectOption('requested_by_customer');
    await dialog.getByRole('button', { name: 'Refund' }).click();
    await isVisible(page.getByRole('status').filter({ hasText: 'Refunded 10.00 USD' }));
    const refunded = await waitForOrder(
      world,
      delivered.orderId,
      (v) => v.amounts?.refunded?.amount === 1000,
    );
    expect(refunded.amounts?.refunded).toEqual({ amount: 1000, currency: 'USD' });
    // The ledger section: the capture and the refund, and where the money went.
    const moneyTable = page.getByRole('table', { name: 'Where the money went' });
    await hasText(moneyTable.getByRole('row', { name: /^Refunded/ }), '10.00 USD');
    await hasText(moneyTable.getByRole('row', { name: /^Captured/ }), 'USD');
    await hasText(page.getByRole('table', { name: 'Entries' }), `order:${delivered.orderId}:capture`);
    const intent = [...world.stripe.state.paymentIntents.values()].find(
      (pi) => pi.metadata.order_id === delivered.orderId,
    )!;
    expect(
      [...world.stripe.state.refunds.values()]
        .filter((r) => r.paymentIntent === intent.id)
        .map((r) => r.amount),
    ).toEqual([1000]);

    const cancel = await forced(page, 'POST', `/v1/orders/${delivered.orderId}/cancel`, { reason: 'forced' });
    expect(cancel).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    await page.close();
  });

  it('finance sees the daily chart, runs a settlement, watches it and downloads its CSV', async () => {
    const page = await signIn('finance');
    await nav(page).getByText('Finance').click();
    await hasText(page.getByRole('heading', { level: 1 }), /^Finance$/);
    const chart = page.getByRole('img', { name: 'Captured, refunded and paid out per day' });
    await page.getByLabel('Currency', { exact: true }).first().selectOption('SEK');
    await isVisible(chart);
    expect(await page.locator('.chart rect.series-captured').count()).toBeGreaterThanOrEqual(2);
    await hasText(page.locator('.legend'), 'Refunded: 200.00 SEK');

    const now = Date.now();
    const form = page.getByRole('form', { name: 'Start a settlement run' });
    await form.getByLabel('Period from').fill(isoDay(now - 6 * DAY));
    await form.getByLabel('Cut-off (your time)').fill(`${isoDay(now)}T00:00`);
    await form.getByLabel('Currency').fill('SEK');
    await form.getByLabel('Merchants (optional)').fill(sekMerchant);
    await form.getByRole('button', { name: 'Start settlement run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a settlement run?' });
    await hasText(dialog, sekMerchant);
    await dialog.getByRole('button', { name: 'Start the run' }).click();

    await hasText(page.getByRole('heading', { level: 1 }), 'Settlement run');
    await hasText(page.getByRole('heading', { level: 1 }), 'completed', 90_000);
    const report = page.getByRole('table').filter({ hasText: 'merchant' }).last();
    await isVisible(report.getByRole('row', { name: new RegExp(sekMerchant) }));
    await isVisible(report.getByRole('row', { name: /TOTAL/ }));
    await shot(page, 'settlement-run');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const runId = decodeURIComponent(page.url().split('/').pop()!);
    expect(download.suggestedFilename()).toBe(`settlement-${runId}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toMatch(/^merchant,currency,lines,gross,/);
    expect(csv).toContain(`${sekMerchant},SEK,`);
    const api = await world.api.app.inject({
      method: 'GET',
      url: `/v1/settlements/${runId}/report.csv`,
      headers: world.auth('finance'),
    });
    expect(csv).toBe(api.body);
    await isVisible(page.getByRole('status').filter({ hasText: `Saved settlement-${runId}.csv` }));

    // The chart now has today's payout, and the run is listed among the past runs (from the API).
    await page.getByRole('link', { name: '← Finance' }).click();
    await page.getByLabel('Currency', { exact: true }).first().selectOption('SEK');
    await hasText(page.locator('.legend'), 'Paid out: 1,193.66 SEK');
    // No reconciliation has booked a SEK fee: the legend says so rather than leaving it out.
    await hasText(page.locator('.legend'), 'Processor fees: 0.00 SEK');
    const listed = page.getByRole('table', { name: /Settlement runs/ }).getByRole('row', { name: runId });
    await hasText(listed, /completed.*SEK/);
    await shot(page, 'finance');
    await listed.getByRole('link', { name: runId }).click();
    await hasText(page.getByRole('heading', { level: 1 }), `Settlement run ${runId}`);
    await page.close();
  });

  it('finance reconciles a period and sees the mismatches', async () => {
    const page = await signIn('finance');
    await nav(page).getByText('Reconciliation').click();
    const now = Date.now();
    await page.getByLabel('From (your time)').fill(`${isoDay(now - 5 * DAY)}T00:00`);
    await page.getByLabel('To (your time)').fill(`${isoDay(now)}T00:00`);
    await page.getByLabel('Currency').fill('SEK');
    await page.getByRole('button', { name: 'Reconcile…' }).click();
    await page
      .getByRole('dialog', { name: 'Start a reconciliation?' })
      .getByRole('button', { name: 'Start' })
      .click();
    await hasText(page.getByRole('heading', { level: 1 }), 'completed', 90_000);
    const mismatches = page.getByRole('table', { name: /Mismatches/ });
    await hasText(mismatches, 'extra');
    // Three captures and a refund the processor never saw (and a header row).
    await page.getByLabel('Kind').selectOption('extra');
    await hasCount(mismatches.getByRole('row'), (n) => n >= 5);
    await hasText(mismatches, 'order:');
    await page.getByLabel('Kind').selectOption('');
    await hasCount(mismatches.getByRole('row'), (n) => n >= 5);
    await shot(page, 'reconciliation');
    await page.getByRole('link', { name: '← Reconciliation' }).click();
    await hasText(page.getByRole('table', { name: /Reconciliation runs/ }), 'SEK');
    await page.close();
  });

  it('admin sees the chart and access, not the orders nor settlement runs; the API refuses them if forced', async () => {
    const page = await signIn('admin');
    expect(await nav(page).allInnerTexts()).toEqual(['Finance', 'Access']);
    await hasText(page.getByRole('heading', { level: 1 }), /^Finance$/);
    await isVisible(page.getByRole('img', { name: 'Captured, refunded and paid out per day' }));
    await hasCount(page.getByRole('heading', { name: 'Settlement runs' }), 0);
    // A link to the orders leads back to what the role may see.
    await page.goto(`${world.baseUrl}/console#/orders/${delivered.orderId}`);
    await hasText(page.getByRole('heading', { level: 1 }), /^Finance$/);
    expect(await forced(page, 'GET', '/v1/orders', undefined)).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN' } },
    });
    expect(
      await forced(page, 'POST', '/v1/settlements', {
        from: '2026-01-01',
        to: '2026-01-02',
        currency: 'SEK',
      }),
    ).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });

    await nav(page).getByText('Access').click();
    await hasText(page.getByRole('table', { name: 'API keys' }), 'world admin');
    await hasCount(page.getByRole('table', { name: /Audit log/ }).getByRole('row'), (n) => n > 1);

    // Signing out forgets the key.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await isVisible(page.getByLabel('API key'));
    expect(await storedKey(page)).toBeNull();
    await page.close();
  });
});
