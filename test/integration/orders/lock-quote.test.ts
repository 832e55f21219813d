/**
 * The lockQuote activity on its own, against PostgreSQL: it locks the quote and writes the order
 * and its lines in two statements, each atomic, so every retry (including one after a worker
 * died between them) ends with the quote consumed by this order and the order written once.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOrderActivities, type OrderActivityDeps } from '../../../activities/orders';
import { uniqueId } from '../../helpers/database';
import type { LockedQuote } from '../../../src/domain/orders/ports';
import { createQuote, GOOD_ADDRESS, startOrderWorld, type OrderWorld } from '../../helpers/order-world';

let world: OrderWorld;
let activities: ReturnType<typeof createOrderActivities>;

beforeAll(async () => {
  world = await startOrderWorld({}, { worker: false });
  activities = createOrderActivities({ db: world.db } as unknown as OrderActivityDeps);
});
afterAll(async () => {
  await world.close();
});

const lock = (input: { orderId: string; quoteId: string; placedAt?: string }): Promise<LockedQuote> =>
  new MockActivityEnvironment().run(activities.lockQuote, {
    orderId: input.orderId,
    quoteId: input.quoteId,
    merchantId: 'mer_test_outdoor',
    shippingAddress: GOOD_ADDRESS,
    placedAt: input.placedAt ?? new Date().toISOString(),
  });

/** Moves the quote's expiry into the past (orders here keep the real time: other files list them). */
async function expire(quoteId: string): Promise<void> {
  await world.db.$executeRaw`
    UPDATE quotes SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
     WHERE id = ${quoteId}`;
}

async function stored(orderId: string, quoteId: string) {
  const order = await world.db.order.findUnique({ where: { id: orderId }, include: { lines: true } });
  const quote = await world.db.quote.findUniqueOrThrow({ where: { id: quoteId } });
  return { order, quote };
}

describe('lockQuote', () => {
  it('locks the quote and writes the order with its lines; a retry changes nothing', async () => {
    const { id: quoteId, chargeNow } = await createQuote(world);
    const orderId = uniqueId('ord');
    const placedAt = new Date().toISOString();
    const first = await lock({ orderId, quoteId, placedAt });
    expect(first).toMatchObject({ quoteId, amounts: { charge: chargeNow } });

    const after = await stored(orderId, quoteId);
    expect(after.quote).toMatchObject({ status: 'CONSUMED', consumedByOrderId: orderId });
    expect(after.order).toMatchObject({
      id: orderId,
      merchantId: after.quote.merchantId,
      status: 'received',
      currency: chargeNow.currency,
      totalAmount: BigInt(chargeNow.amount),
      quoteId,
      workflowId: `order-${orderId}`,
      createdAt: new Date(placedAt),
    });
    expect(after.order!.lines.map((l) => l.lineNumber).sort()).toEqual(first.lines.map((l) => l.lineNumber));
    expect(after.order!.lines.every((l) => l.unitPrice > 0n && l.weightGrams > 0)).toBe(true);

    // The retry (the activity's result was lost): the same answer, nothing written twice.
    await expect(lock({ orderId, quoteId, placedAt })).resolves.toEqual(first);
    const again = await stored(orderId, quoteId);
    expect(again.order!.lines).toHaveLength(after.order!.lines.length);
    expect(again.order!.createdAt).toEqual(after.order!.createdAt);
  });

  it('a worker that died after the lock and before the order: the retry writes the order', async () => {
    const { id: quoteId } = await createQuote(world);
    const orderId = uniqueId('ord');
    // The first statement alone, as it ran before the crash.
    await world.db.$executeRaw`
      UPDATE quotes SET status = 'CONSUMED', consumed_by_order_id = ${orderId}, consumed_at = now()
       WHERE id = ${quoteId}`;
    expect((await stored(orderId, quoteId)).order).toBeNull();
    // Even once the quote has expired: it is this order's already.
    await expire(quoteId);
    const locked = await lock({ orderId, quoteId });
    expect(locked.quoteId).toBe(quoteId);
    const { order } = await stored(orderId, quoteId);
    expect(order?.lines.length).toBe(locked.lines.length);
  });

  it('refuses a quote another order consumed, an expired quote and an unknown one; writes nothing', async () => {
    const { id: quoteId } = await createQuote(world);
    const owner = uniqueId('ord');
    await lock({ orderId: owner, quoteId });
    const other = uniqueId('ord');
    await expect(lock({ orderId: other, quoteId })).rejects.toMatchObject({
      type: 'QUOTE_EXPIRED',
      message: expect.stringContaining('already used by another order'),
    });

    const { id: stale } = await createQuote(world);
    await expire(stale);
    const expired = uniqueId('ord');
    await expect(lock({ orderId: expired, quoteId: stale })).rejects.toMatchObject({
      type: 'QUOTE_EXPIRED',
      message: expect.stringMatching(/expired at/),
    });
    expect((await stored(expired, stale)).quote).toMatchObject({ status: 'OPEN', consumedByOrderId: null });

    await expect(
      lock({ orderId: uniqueId('ord'), quoteId: 'qt_000000000000000000000000' }),
    ).rejects.toMatchObject({
      type: 'NOT_FOUND',
      details: [expect.objectContaining({ field: 'quoteId' })],
    });
    for (const orderId of [other, expired]) {
      expect(await world.db.order.count({ where: { id: orderId } })).toBe(0);
    }
  });

  it('refuses an order id whose order has closed (a reuse after the server forgot its workflow); locks nothing', async () => {
    const { id: quoteId } = await createQuote(world);
    const orderId = uniqueId('ord');
    await lock({ orderId, quoteId });
    // The order ran to its end.
    await world.db
      .$executeRaw`UPDATE orders SET status = 'completed', closed_at = now() WHERE id = ${orderId}`;
    const before = await stored(orderId, quoteId);

    // Placed again under the same id: with a new quote, or with the quote it consumed.
    const { id: fresh } = await createQuote(world);
    for (const again of [fresh, quoteId]) {
      await expect(lock({ orderId, quoteId: again })).rejects.toMatchObject({
        type: 'CONFLICT',
        nonRetryable: true,
        message: expect.stringContaining('an order id is used once'),
      });
    }
    expect((await world.db.quote.findUniqueOrThrow({ where: { id: fresh } })).status).toBe('OPEN');
    expect(await stored(orderId, quoteId)).toEqual(before);
  });
});
