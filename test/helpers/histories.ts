/**
 * Keeps the history of any workflow under test/histories when RECORD_HISTORIES=1, so that CI
 * replays it against the current workflow code (test/integration/temporal/replay.test.ts). The
 * order saga's `recordHistory` (order-world.ts) calls it for `order-<orderId>`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export async function recordWorkflowHistory(
  client: Client,
  workflowId: string,
  fileName: string,
): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const dir = join(__dirname, '..', 'histories');
  mkdirSync(dir, { recursive: true });
  const message = temporal.api.history.v1.History.fromObject(history);
  const json = temporal.api.history.v1.History.toObject(message, {
    longs: String,
    enums: String,
    bytes: String,
  });
  writeFileSync(join(dir, `${fileName}.json`), `${JSON.stringify(json)}\n`);
}
