/**
 * Every recorded history of a real run (test/histories, written by the scenario tests with
 * RECORD_HISTORIES=1) must replay against the current workflow code: a change that would break
 * orders already running fails here, and needs `patched()` or a new workflow version.
 *
 * Histories recorded since payload encryption hold `binary/encrypted` payloads (the published
 * development key, as tests run with); older ones hold plain payloads, which the codec passes
 * through. The replay worker decodes both with the same codec the real workers use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { ENCRYPTED_ENCODING, encryptedDataConverter } from '../../../src/infra/temporal';
import { productWorkflowBundle, testPayloadCodec } from '../../helpers/temporal';

const dir = join(__dirname, '..', '..', 'histories');
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

it('has recorded histories of the order saga to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(8);
});

const isEncrypted = (file: string) =>
  readFileSync(join(dir, file), 'utf8').includes(Buffer.from(ENCRYPTED_ENCODING).toString('base64'));

it('has histories with plain payloads (before encryption) and with encrypted ones', () => {
  expect(files.filter(isEncrypted).length).toBeGreaterThanOrEqual(1);
  expect(files.filter((file) => !isEncrypted(file)).length).toBeGreaterThanOrEqual(8);
});

it('cannot replay an encrypted history without the codec (so the codec is what reads it)', async () => {
  const file = files.find(isEncrypted)!;
  const history = temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(join(dir, file), 'utf8')),
  );
  await expect(
    Worker.runReplayHistory(
      { workflowBundle: productWorkflowBundle() },
      history,
      file.replace(/\.json$/, ''),
    ),
  ).rejects.toThrow(/Unknown encoding: binary\/encrypted/);
});

it('replays every recorded history without a determinism error', async () => {
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: productWorkflowBundle(), dataConverter: encryptedDataConverter(testPayloadCodec()) },
    histories,
  )) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
});
