import { ApiKeyStore, ROLES, type Role } from '../../src/access';
import { composeApi, type ApiComposition, type ComposeApiOptions } from '../../src/api/compose';
import type { OrderTimings } from '../../src/domain/orders/types';
import { testDatabaseUrl } from './database';
import { testPayloadCodec } from './temporal';

export interface TestApi extends ApiComposition {
  keys: ApiKeyStore;
  /** A fresh key per role, created for this test file. */
  keyFor: Record<Role, string>;
  auth(role: Role): { authorization: string };
}

/** The Stripe webhook signing secret of the API `startTestApi` starts. */
export const TEST_STRIPE_WEBHOOK_SECRET = 'whsec_borderline_test_api';

/** The carrier webhook HMAC secret of the API `startTestApi` starts. */
export const TEST_CARRIER_WEBHOOK_SECRET = 'carrier_whsec_borderline_test_api';

/** Business deadlines short enough for tests (the time-skipping server is not available). */
export const TEST_ORDER_TIMINGS: OrderTimings = {
  reviewTimeoutMs: 20_000,
  captureDeadlineMs: 60_000,
  declarationTimeoutMs: 20_000,
  deliveryTimeoutMs: 60_000,
  refundWindowMs: 1_000,
  compensationAttempts: 2,
};

/**
 * The real API on the test run's PostgreSQL and Temporal, for `app.inject`. `overrides` set the
 * options a test varies (e.g. `quoteTtlSeconds`).
 */
export async function startTestApi(
  overrides: Partial<
    Pick<
      ComposeApiOptions,
      | 'databaseUrl'
      | 'quoteTtlSeconds'
      | 'fxRates'
      | 'orderTimings'
      | 'ordersTaskQueue'
      | 'codecEndpoint'
      | 'protection'
      | 'logger'
    >
  > = {},
): Promise<TestApi> {
  const composition = await composeApi({
    databaseUrl: testDatabaseUrl(),
    databasePoolSize: 4,
    temporal: {
      address: process.env.TEMPORAL_ADDRESS!,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      payloadCodec: testPayloadCodec(),
    },
    stripeWebhookSecret: TEST_STRIPE_WEBHOOK_SECRET,
    orderTimings: TEST_ORDER_TIMINGS,
    carrierWebhookSecret: TEST_CARRIER_WEBHOOK_SECRET,
    logger: false,
    ...overrides,
  });
  const keys = new ApiKeyStore(composition.db);
  const keyFor = {} as Record<Role, string>;
  for (const role of ROLES) keyFor[role] = (await keys.create({ name: `test ${role}`, role })).key;
  return { ...composition, keys, keyFor, auth: (role) => ({ authorization: `Bearer ${keyFor[role]}` }) };
}
