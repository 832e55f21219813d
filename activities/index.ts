import type { Database } from '../src/infra/database';
import { createFxActivities } from './fx';
import { createOrderActivities, type OrderActivityDeps } from './orders';
import { createReconciliationActivities } from './reconciliation';
import { createSettlementActivities, type SettlementActivityDeps } from './settlement';
import { createSystemActivities } from './system';

/** What activities need from the outside world; each context takes the part it uses. */
export interface ActivityDeps extends OrderActivityDeps, SettlementActivityDeps {
  db: Database;
}

/** All activities the worker registers, built from their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemActivities(deps),
    ...createOrderActivities(deps),
    ...createReconciliationActivities(deps),
    ...createSettlementActivities(deps),
    ...createFxActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
