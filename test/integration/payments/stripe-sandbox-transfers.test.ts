/**
 * The Stripe sandbox's transfers as a late settlement retry sees them: idempotency keys that
 * expire 24 hours after first use (on the sandbox's clock), and `GET /v1/transfers` with Stripe's
 * filters, list shape and cursor pagination; then the adapter's findMerchantTransfer on top.
 */
import type Stripe from 'stripe';
import { idempotencyKeys } from '../../../src/domain/payments';
import { createStripeClient, type StripePayments } from '../../../src/infra/payments';
import { ManualClock, type StripeSandbox } from '../../../src/sandboxes/stripe';
import { startTestSandbox } from '../../helpers/stripe-sandbox';

jest.setTimeout(30_000);

const HOUR_MS = 60 * 60 * 1000;
let counter = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

let sandbox: StripeSandbox;
let payments: StripePayments;
let stripe: Stripe;
const clock = new ManualClock(Date.UTC(2026, 10, 20, 12));

beforeAll(async () => {
  ({ sandbox, payments } = await startTestSandbox({ clock }));
  stripe = createStripeClient({
    secretKey: sandbox.secretKey,
    apiBase: { host: sandbox.host, port: sandbox.port, protocol: 'http' },
  });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const transferParams = (group: string, destination = 'acct_list1', amount = 1_000) => ({
  amount,
  currency: 'eur',
  destination,
  transfer_group: group,
});

describe('idempotency keys expire 24 hours after first use, on the sandbox clock', () => {
  it('replays until 24 h have passed, then executes the same request again', async () => {
    const group = uniqueId('grp');
    const key = uniqueId('key');
    const first = await stripe.transfers.create(transferParams(group), { idempotencyKey: key });

    clock.advance(24 * HOUR_MS - 1_000);
    const replayed = await stripe.transfers.create(transferParams(group), { idempotencyKey: key });
    expect(replayed.id).toBe(first.id);
    expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');

    clock.advance(1_000);
    const again = await stripe.transfers.create(transferParams(group), { idempotencyKey: key });
    expect(again.id).not.toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    const inGroup = [...sandbox.state.transfers.values()].filter((t) => t.transferGroup === group);
    expect(inGroup.map((t) => t.id)).toEqual([first.id, again.id]);

    // The new first use starts a new 24 hours: the key is known again, for its new parameters only.
    await expect(
      stripe.transfers.create(transferParams(group, 'acct_list1', 1_001), { idempotencyKey: key }),
    ).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
  });

  it('lets an expired key be used with other parameters', async () => {
    const group = uniqueId('grp');
    const key = uniqueId('key');
    await stripe.transfers.create(transferParams(group), { idempotencyKey: key });
    await expect(
      stripe.transfers.create(transferParams(group, 'acct_list1', 2_000), { idempotencyKey: key }),
    ).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
    clock.advance(25 * HOUR_MS);
    const other = await stripe.transfers.create(transferParams(group, 'acct_list1', 2_000), {
      idempotencyKey: key,
    });
    expect(other.amount).toBe(2_000);
  });
});

describe('GET /v1/transfers', () => {
  it('lists newest first, filtered by transfer_group and destination, in Stripe’s list shape', async () => {
    const group = uniqueId('grp');
    const other = uniqueId('grp');
    const made: string[] = [];
    for (const [g, destination] of [
      [group, 'acct_a'],
      [group, 'acct_b'],
      [other, 'acct_a'],
      [group, 'acct_a'],
    ] as const) {
      made.push((await stripe.transfers.create(transferParams(g, destination))).id);
      clock.advance(1_000);
    }

    const byGroup = await stripe.transfers.list({ transfer_group: group });
    expect(byGroup).toMatchObject({ object: 'list', has_more: false, url: '/v1/transfers' });
    expect(byGroup.data.map((t) => t.id)).toEqual([made[3], made[1], made[0]]);
    expect(byGroup.data[0]).toMatchObject({
      object: 'transfer',
      transfer_group: group,
      destination: 'acct_a',
    });

    const byBoth = await stripe.transfers.list({ transfer_group: group, destination: 'acct_a' });
    expect(byBoth.data.map((t) => t.id)).toEqual([made[3], made[0]]);
    const byDestination = await stripe.transfers.list({ destination: 'acct_b', limit: 100 });
    expect(byDestination.data.map((t) => t.id)).toContain(made[1]);
    expect(byDestination.data.every((t) => t.destination === 'acct_b')).toBe(true);
  });

  it('pages with limit and starting_after; stripe-node auto-pages through every page', async () => {
    const group = uniqueId('grp');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await stripe.transfers.create(transferParams(group))).id);
    const newestFirst = [...made].reverse();

    const first = await stripe.transfers.list({ transfer_group: group, limit: 2 });
    expect(first.data.map((t) => t.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);
    const second = await stripe.transfers.list({
      transfer_group: group,
      limit: 2,
      starting_after: first.data[1]!.id,
    });
    expect(second.data.map((t) => t.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.has_more).toBe(true);
    const last = await stripe.transfers.list({
      transfer_group: group,
      limit: 2,
      starting_after: second.data[1]!.id,
    });
    expect(last.data.map((t) => t.id)).toEqual(newestFirst.slice(4));
    expect(last.has_more).toBe(false);

    const all = await stripe.transfers.list({ transfer_group: group, limit: 2 }).autoPagingToArray({
      limit: 100,
    });
    expect(all.map((t) => t.id)).toEqual(newestFirst);
  });

  it('refuses an unknown parameter, a limit out of range and an unknown cursor as Stripe does', async () => {
    await expect(stripe.transfers.list({ not_a_param: 'x' } as never)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'parameter_unknown',
    });
    await expect(stripe.transfers.list({ limit: 101 })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      param: 'limit',
    });
    await expect(stripe.transfers.list({ starting_after: 'tr_unknown' })).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'starting_after',
    });
  });
});

describe('StripePayments.findMerchantTransfer', () => {
  it('finds the run’s transfer to the merchant by its metadata, past the first page', async () => {
    const runId = uniqueId('stl');
    const group = `settlement-${runId}`;
    const destination = 'acct_findme';
    const transfer = await payments.transferToMerchant({
      runId,
      merchantId: 'mer-target',
      destinationAccountId: destination,
      amount: { amount: 4_200, currency: 'EUR' },
      transferGroup: group,
      idempotencyKey: idempotencyKeys.payout(runId, 'mer-target'),
    });
    // 100 newer transfers to the same account in the same group, for other merchants: the one
    // looked for is on the second page of 100.
    for (let i = 0; i < 100; i++) {
      await payments.transferToMerchant({
        runId,
        merchantId: `mer-other-${i}`,
        destinationAccountId: destination,
        amount: { amount: 100 + i, currency: 'EUR' },
        transferGroup: group,
        idempotencyKey: idempotencyKeys.payout(runId, `mer-other-${i}`),
      });
    }
    const before = sandbox.requests.length;
    const found = await payments.findMerchantTransfer({
      transferGroup: group,
      destinationAccountId: destination,
      runId,
      merchantId: 'mer-target',
    });
    expect(found).toEqual(transfer);
    const lists = sandbox.requests.slice(before);
    expect(lists.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/v1/transfers', 200],
      ['GET', '/v1/transfers', 200],
    ]);

    await expect(
      payments.findMerchantTransfer({
        transferGroup: group,
        destinationAccountId: destination,
        runId,
        merchantId: 'mer-never-paid',
      }),
    ).resolves.toBeNull();
    await expect(
      payments.findMerchantTransfer({
        transferGroup: `settlement-${uniqueId('stl')}`,
        destinationAccountId: destination,
        runId,
        merchantId: 'mer-target',
      }),
    ).resolves.toBeNull();
  });

  it('answers the oldest when a merchant was paid twice', async () => {
    const runId = uniqueId('stl');
    const request = {
      runId,
      merchantId: 'mer-twice',
      destinationAccountId: 'acct_twice',
      amount: { amount: 900, currency: 'EUR' },
      transferGroup: `settlement-${runId}`,
    };
    const first = await payments.transferToMerchant({
      ...request,
      idempotencyKey: idempotencyKeys.payout(runId, 'a'),
    });
    clock.advance(1_000);
    await payments.transferToMerchant({ ...request, idempotencyKey: idempotencyKeys.payout(runId, 'b') });
    const found = await payments.findMerchantTransfer({
      transferGroup: request.transferGroup,
      destinationAccountId: request.destinationAccountId,
      runId,
      merchantId: 'mer-twice',
    });
    expect(found?.providerTransferId).toBe(first.providerTransferId);
  });
});
