/**
 * Every recorded history of a real run (test/histories, written by the scenario tests with
 * RECORD_HISTORIES=1) must replay against the current workflow code: a change that would break
 * orders already running fails here, and needs `patched()` or a new workflow version.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { productWorkflowBundle } from '../../helpers/temporal';

const dir = join(__dirname, '..', '..', 'histories');
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

it('has recorded histories of the order saga to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(8);
});

it('replays every recorded history without a determinism error', async () => {
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: productWorkflowBundle() },
    histories,
  )) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
});
