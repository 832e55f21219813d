import { ApiKeyStore, ROLES, type Role } from '../../src/access';
import { composeApi, type ApiComposition, type ComposeApiOptions } from '../../src/api/compose';
import { testDatabaseUrl } from './database';

export interface TestApi extends ApiComposition {
  keys: ApiKeyStore;
  /** A fresh key per role, created for this test file. */
  keyFor: Record<Role, string>;
  auth(role: Role): { authorization: string };
}

/** The Stripe webhook signing secret of the API `startTestApi` starts. */
export const TEST_STRIPE_WEBHOOK_SECRET = 'whsec_borderline_test_api';

/**
 * The real API on the test run's PostgreSQL and Temporal, for `app.inject`. `overrides` set the
 * options a test varies (e.g. `quoteTtlSeconds`).
 */
export async function startTestApi(
  overrides: Partial<Pick<ComposeApiOptions, 'quoteTtlSeconds'>> = {},
): Promise<TestApi> {
  const composition = await composeApi({
    databaseUrl: testDatabaseUrl(),
    databasePoolSize: 4,
    temporal: {
      address: process.env.TEMPORAL_ADDRESS!,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    },
    stripeWebhookSecret: TEST_STRIPE_WEBHOOK_SECRET,
    logger: false,
    ...overrides,
  });
  const keys = new ApiKeyStore(composition.db);
  const keyFor = {} as Record<Role, string>;
  for (const role of ROLES) keyFor[role] = (await keys.create({ name: `test ${role}`, role })).key;
  return { ...composition, keys, keyFor, auth: (role) => ({ authorization: `Bearer ${keyFor[role]}` }) };
}
