// The settlement run's activities. Each is idempotent by run id: opening records the run once,
// preparing (claim + aggregate + decide) is one transaction marked done, paying skips merchants
// already paid and sends every transfer with the key `payout:<runId>:<merchantId>`, finishing
// marks a run completed once. A worker killed at any point leaves a step that is simply run again.
// Stripe forgets idempotency keys after 24 hours, so once a run was prepared more than 23 hours
// ago (PAYOUT_KEY_TRUST_MS) paying looks each merchant's transfer up before creating it.
import { Context } from '@temporalio/activity';
import type { FxRateSource } from '../src/domain/money';
import type { PaymentsPort } from '../src/domain/payments';
import { MAX_PAYOUT_BATCH_SIZE, type SettlementPeriod } from '../src/domain/settlement';
import { AppError } from '../src/errors';
import type { Database } from '../src/infra/database';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../src/infra/fx';
import { SettlementStore } from '../src/infra/settlement/settlement-store';
import { activity } from './activity';

export interface SettlementActivityDeps {
  db: Database;
  payments: PaymentsPort;
  /** Reference exchange rates for payouts in another currency; default the ECB sample days. */
  fx?: FxRateSource;
}

export interface OpenSettlementRunInput {
  runId: string;
  workflowId: string;
  currency: string;
  period: SettlementPeriod;
  merchantIds: readonly string[] | null;
  requestedBy: string;
}

export function createSettlementActivities({ db, payments, fx }: SettlementActivityDeps) {
  const store = new SettlementStore(db);
  const rates = fx ?? new ReferenceRateSource(ECB_SAMPLE_DAYS);
  return {
    /** Records the run; CONFLICT (not retried) when it overlaps a completed run. */
    openSettlementRun: activity(async (input: OpenSettlementRunInput) => {
      const { created } = await store.openRun(input);
      return { created };
    }),

    /** Claims the run's lines, releases reserves, aggregates per merchant, decides the payouts. */
    prepareSettlement: activity(async (input: { runId: string }) => store.prepare(input.runId, rates)),

    /** Pays the next `limit` pending merchants of the run; heartbeats after each transfer. */
    payMerchants: activity(async (input: { runId: string; limit: number }) => {
      if (!Number.isSafeInteger(input.limit) || input.limit < 1 || input.limit > MAX_PAYOUT_BATCH_SIZE) {
        throw new AppError('VALIDATION_FAILED', `limit must be 1 to ${MAX_PAYOUT_BATCH_SIZE}`, {
          field: 'limit',
        });
      }
      return store.payBatch(input.runId, input.limit, payments, (done) => heartbeat({ done }));
    }),

    /** Marks the run completed (refused while a payout is pending). */
    finishSettlementRun: activity(async (input: { runId: string }) => {
      const run = await store.finish(input.runId);
      return { linesSettled: run.linesSettled, merchantsTotal: run.merchantsTotal };
    }),
  };
}

export type SettlementActivities = ReturnType<typeof createSettlementActivities>;

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // called outside an activity (tests)
  }
}
