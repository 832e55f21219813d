// The daily import of the ECB's reference rates (schedule `fx-import-daily`): one activity that
// downloads the day's file and stores its days, retried for about two hours while the ECB's
// site does not answer; a file that is not one, or a changed day, fails the run for a person.
import { proxyActivities } from '@temporalio/workflow';
import type { FxActivities, FxImportResult } from '../activities/fx';
import type { FxImportInput } from '../src/domain/money/fx-import';

const IMPORT = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 minute',
    backoffCoefficient: 2,
    maximumInterval: '30 minutes',
    maximumAttempts: 8,
  },
} as const;

export async function fxImportWorkflow(input: FxImportInput): Promise<FxImportResult> {
  const { importReferenceRates } = proxyActivities<FxActivities>(IMPORT);
  const { attempt: _attempt, ...result } = await importReferenceRates(input);
  return result;
}
