/**
 * The Idempotency-Key records of POST /v1/orders live 24 hours. After that a key may be used
 * again (its new use is remembered in place of the old one, swept or not), and every API process
 * deletes expired records a batch at a time.
 */
import { randomUUID } from 'node:crypto';
import { hashRequest, OrderDesk } from '../../../src/infra/orders/desk';
import { TEST_ORDER_TIMINGS } from '../../helpers/api';
import {
  createQuote,
  orderRequest,
  placeOrder,
  startOrderWorld,
  type OrderWorld,
} from '../../helpers/order-world';

let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld();
});
afterAll(async () => {
  await world?.close();
});

const SCOPE = 'POST /v1/orders';
const HOUR_MS = 3600_000;
const record = (key: string, expiresInMs: number, requestHash = 'f'.repeat(64)) =>
  world.db.idempotencyRecord.create({
    data: {
      scope: SCOPE,
      key,
      requestHash,
      responseBody: { orderId: 'someone-elses-order' },
      createdAt: new Date(Date.now() + expiresInMs - 24 * HOUR_MS),
      expiresAt: new Date(Date.now() + expiresInMs),
    },
  });
const stored = (key: string) =>
  world.db.idempotencyRecord.findUnique({ where: { scope_key: { scope: SCOPE, key } } });

it('lets a key whose record has expired be used again, and remembers its new use for 24 hours', async () => {
  const key = `expired-${randomUUID()}`;
  await record(key, -HOUR_MS); // used for another body 25 hours ago, not swept yet
  const quote = await createQuote(world);
  const body = orderRequest(quote.id);

  const placed = await placeOrder(world, body, key);
  expect(placed.statusCode).toBe(201);
  const now = await stored(key);
  expect(now?.requestHash).toBe(hashRequest(body));
  expect(now!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * HOUR_MS);

  const other = await placeOrder(world, orderRequest(quote.id), key);
  expect(other.statusCode).toBe(409);
  expect(other.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotency-key' });
});

it('keeps a live record as first written: the first use of a key wins', async () => {
  const key = `live-${randomUUID()}`;
  await record(key, HOUR_MS);
  const quote = await createQuote(world);
  const refused = await placeOrder(world, orderRequest(quote.id), key);
  expect(refused.statusCode).toBe(409);
  expect(refused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  expect((await stored(key))?.requestHash).toBe('f'.repeat(64));
});

it('sweeps expired records in batches and leaves live ones', async () => {
  const desk = new OrderDesk(world.db, world.temporal.client, TEST_ORDER_TIMINGS, world.taskQueue);
  const expired = Array.from({ length: 5 }, () => `sweep-old-${randomUUID()}`);
  const live = `sweep-live-${randomUUID()}`;
  for (const [index, key] of expired.entries()) await record(key, -(index + 1) * HOUR_MS);
  await record(live, HOUR_MS);

  expect(await desk.sweepExpiredIdempotencyRecords(2)).toBe(2);
  // The oldest go first.
  expect(await stored(expired[4]!)).toBeNull();
  expect(await stored(expired[3]!)).toBeNull();
  expect(await desk.sweepExpiredIdempotencyRecords()).toBeGreaterThanOrEqual(3);
  for (const key of expired) expect(await stored(key)).toBeNull();
  expect(await stored(live)).not.toBeNull();
});
