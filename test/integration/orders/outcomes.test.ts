/**
 * How an order ends when a step says no: declined, blocked, held for review, refused by customs,
 * let down by the carrier. Each time nothing is charged, and what was done is undone.
 */
import type { OrderView } from '../../../src/domain/orders/types';
import {
  createQuote,
  hasStatus,
  orderRequest,
  placeOrder,
  recordHistory,
  startOrderWorld,
  waitForOrder,
  type OrderWorld,
} from '../../helpers/order-world';

let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld();
});
afterAll(async () => {
  await world?.close();
});

const intentsOf = (orderId: string) =>
  [...world.stripe.state.paymentIntents.values()].filter((pi) => pi.metadata.order_id === orderId);
const steps = (view: { orderId: string }) =>
  world.api.app
    .inject({ method: 'GET', url: `/v1/orders/${view.orderId}/timeline`, headers: world.auth('support') })
    .then((res) =>
      (res.json() as { timeline: { step: string; status: string }[] }).timeline.map(
        (e) => `${e.step}:${e.status}`,
      ),
    );

async function place(
  overrides: Record<string, unknown> = {},
  quoteOptions: Parameters<typeof createQuote>[1] = {},
) {
  const quote = await createQuote(world, quoteOptions);
  const body = orderRequest(quote.id, overrides);
  const res = await placeOrder(world, body);
  expect(res.statusCode).toBe(201);
  return body;
}

it('a declined card rejects the order with the decline reason, and nothing is charged or filed', async () => {
  const body = await place({ paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' });
  const view = await waitForOrder(world, body.orderId, hasStatus('rejected'));
  expect(view.outcome?.code).toBe('PAYMENT_DECLINED');
  expect(view.outcome?.reason).toMatch(/insufficient/i);
  expect(intentsOf(body.orderId).every((pi) => pi.amountReceived === 0)).toBe(true);
  expect(world.customs.findByReference(`order:${body.orderId}:declaration:v1`)).toBeUndefined();
  expect(await steps(view)).toEqual(['lock_quote:done', 'screen:done', 'authorize:failed']);
  await recordHistory(world, body.orderId, 'declined');
});

it('a compliance block rejects the order before any payment', async () => {
  const body = await place(
    {
      shippingAddress: {
        name: 'Société Fictive d’Exportation Ardente SARL',
        line1: '7 Rue de l’Exemple',
        city: 'Paris',
        postalCode: '75001',
        country: 'FR',
      },
    },
    { shipTo: 'FR' },
  );
  const view = await waitForOrder(world, body.orderId, hasStatus('rejected'));
  expect(view.outcome?.code).toBe('COMPLIANCE_BLOCKED');
  expect(intentsOf(body.orderId)).toHaveLength(0);
  await recordHistory(world, body.orderId, 'compliance-blocked');
});

describe('an order held for compliance review', () => {
  const suspicious = {
    name: 'Zephyr Quantum Logistics',
    line1: 'Hauptstraße 5',
    city: 'Berlin',
    postalCode: '10115',
    country: 'DE',
  };
  const review = (orderId: string, decision: 'approve' | 'reject') =>
    world.api.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/review`,
      headers: world.auth('support'),
      payload: { decision, note: `${decision}d after checking the consignee` },
    });

  it('goes on once support approves', async () => {
    const body = await place({ shippingAddress: suspicious });
    const held = await waitForOrder(world, body.orderId, hasStatus('awaiting_review'));
    expect(held.nextDeadline?.what).toMatch(/review/i);
    expect(intentsOf(body.orderId)).toHaveLength(0);
    const res = await review(body.orderId, 'approve');
    expect(res.statusCode).toBe(200);
    await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
    expect(intentsOf(body.orderId)).toHaveLength(1);
    await recordHistory(world, body.orderId, 'review-approved');
  });

  it('is rejected, uncharged, when support rejects it; a second decision is refused', async () => {
    const body = await place({ shippingAddress: suspicious });
    await waitForOrder(world, body.orderId, hasStatus('awaiting_review'));
    const res = await review(body.orderId, 'reject');
    expect(res.statusCode).toBe(200);
    const view = (await waitForOrder(world, body.orderId, hasStatus('rejected'))) as OrderView;
    expect(view.outcome?.code).toBe('REVIEW_REJECTED');
    expect(intentsOf(body.orderId)).toHaveLength(0);
    const again = await review(body.orderId, 'approve');
    expect(again.statusCode).toBe(409);
    await recordHistory(world, body.orderId, 'review-rejected');
  });

  it('only support may decide', async () => {
    const res = await world.api.app.inject({
      method: 'POST',
      url: '/v1/orders/whatever/review',
      headers: world.auth('checkout'),
      payload: { decision: 'approve', note: 'x' },
    });
    expect(res.statusCode).toBe(403);
  });
});

it('a customs rejection cancels the authorisation', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  world.customs.outcomes.forceReference(`order:${body.orderId}:declaration:v1`, {
    status: 'rejected',
    issues: [{ code: 'HS_CODE_INVALID', message: 'HS code does not match the goods', lineNumber: 1 }],
  });
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  const view = await waitForOrder(world, body.orderId, hasStatus('rejected'));
  expect(view.outcome?.code).toBe('DECLARATION_REJECTED');
  expect(view.declaration?.issues[0]?.code).toBe('HS_CODE_INVALID');
  const [intent] = intentsOf(body.orderId);
  expect(intent).toMatchObject({ status: 'canceled', amountReceived: 0 });
  expect(await steps(view)).toEqual([
    'lock_quote:done',
    'screen:done',
    'authorize:done',
    'declare:done',
    'cancel_authorization:compensated',
  ]);
  await recordHistory(world, body.orderId, 'customs-rejected');
});

it('a customs correction is filed again with support’s corrections, then the order goes on', async () => {
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);
  world.customs.outcomes.forceReference(`order:${body.orderId}:declaration:v1`, {
    status: 'correction_requested',
    issues: [{ code: 'DESCRIPTION_VAGUE', message: 'describe the goods precisely', lineNumber: 1 }],
  });
  expect((await placeOrder(world, body)).statusCode).toBe(201);
  await waitForOrder(world, body.orderId, hasStatus('awaiting_customs_correction'));
  const res = await world.api.app.inject({
    method: 'POST',
    url: `/v1/orders/${body.orderId}/review`,
    headers: world.auth('support'),
    payload: {
      decision: 'approve',
      note: 'declared precisely',
      corrections: [{ lineNumber: 1, description: "Men's T-shirt, knitted cotton jersey" }],
    },
  });
  expect(res.statusCode).toBe(200);
  const view = await waitForOrder(world, body.orderId, hasStatus('awaiting_handover'));
  expect(view.declaration?.status).toBe('accepted');
  const refiled = world.customs.findByReference(`order:${body.orderId}:declaration:v2`);
  expect(refiled?.status).toBe('accepted');
  await recordHistory(world, body.orderId, 'customs-corrected');
});

describe('a carrier that keeps failing after the declaration', () => {
  let short: OrderWorld;
  beforeAll(async () => {
    short = await startOrderWorld({ captureDeadlineMs: 6_000 });
  });
  afterAll(async () => {
    await short?.close();
  });

  it('fails the order: the declaration is voided and the authorisation cancelled, newest first', async () => {
    short.carrier.faults.inject({ kind: '503', times: 'always', path: '/v2/shipments' });
    const quote = await createQuote(short);
    const body = orderRequest(quote.id);
    expect((await placeOrder(short, body)).statusCode).toBe(201);
    const view = await waitForOrder(short, body.orderId, hasStatus('failed'), 45_000);
    expect(view.outcome?.reason).toMatch(/buy_label/);
    const declaration = short.customs.findByReference(`order:${body.orderId}:declaration:v1`);
    expect(declaration?.status).toBe('voided');
    const [intent] = [...short.stripe.state.paymentIntents.values()].filter(
      (pi) => pi.metadata.order_id === body.orderId,
    );
    expect(intent?.status).toBe('canceled');
    const timeline = await short.api.app.inject({
      method: 'GET',
      url: `/v1/orders/${body.orderId}/timeline`,
      headers: short.auth('support'),
    });
    expect(
      (timeline.json() as { timeline: { step: string; status: string }[] }).timeline
        .map((e) => `${e.step}:${e.status}`)
        .slice(-3),
    ).toEqual(['buy_label:failed', 'void_declaration:compensated', 'cancel_authorization:compensated']);
    await recordHistory(short, body.orderId, 'carrier-failed');
  });
});
