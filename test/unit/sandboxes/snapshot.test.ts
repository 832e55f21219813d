import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepSnapshots } from '../../../src/sandboxes/shared/snapshot';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const eventually = async (check: () => boolean) => {
  const until = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await wait(10);
  }
};
const dataIn = (file: string) => {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { data: unknown }).data;
  } catch {
    return undefined;
  }
};

describe('keepSnapshots', () => {
  it('keeps the file up to date, and says a failing write once until one succeeds', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'borderline-snapshot-')), 'state.json');
    let state: unknown = { n: 1 };
    const said: string[] = [];
    const keeper = keepSnapshots(
      file,
      { snapshot: () => state, restore: () => undefined, reset: () => undefined },
      { version: 3, everyMs: 10, log: (message) => said.push(message) },
    );
    try {
      await eventually(() => dataIn(file) !== undefined);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 3, data: { n: 1 } });

      state = { n: 2n }; // JSON cannot hold a BigInt: every write fails
      await eventually(() => said.length > 0);
      await wait(80); // several more failing writes
      expect(said).toEqual([expect.stringMatching(/could not write .*state\.json: .*BigInt/)]);
      expect(JSON.parse(readFileSync(file, 'utf8')).data).toEqual({ n: 1 });

      state = { n: 3 };
      await eventually(() => (dataIn(file) as { n: number }).n === 3);
      state = { n: 4n };
      await eventually(() => said.length === 2);
    } finally {
      state = { n: 5 };
      keeper.stop();
    }
    expect(JSON.parse(readFileSync(file, 'utf8')).data).toEqual({ n: 5 });
  });

  it('restores what a file of its version holds', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'borderline-snapshot-')), 'state.json');
    const first = keepSnapshots(
      file,
      { snapshot: () => ({ kept: ['a'] }), restore: () => undefined, reset: () => undefined },
      { version: 1 },
    );
    first.stop();
    const restored: unknown[] = [];
    const second = keepSnapshots(
      file,
      { snapshot: () => ({ kept: ['a'] }), restore: (data) => restored.push(data), reset: () => undefined },
      { version: 1 },
    );
    second.stop();
    expect(restored).toEqual([{ kept: ['a'] }]);
  });

  it('forgets a state whose restore failed halfway, sets the file aside and says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'borderline-snapshot-'));
    const file = join(dir, 'state.json');
    keepSnapshots(
      file,
      { snapshot: () => ({ items: [1, 2] }), restore: () => undefined, reset: () => undefined },
      { version: 1 },
    ).stop();
    const held: number[] = [];
    const said: string[] = [];
    const keeper = keepSnapshots<{ items: number[] }>(
      file,
      {
        snapshot: () => ({ items: held }),
        restore: (data) => {
          held.push(data.items[0]!);
          throw new Error('a record of an unknown shape');
        },
        reset: () => {
          held.length = 0;
        },
      },
      { version: 1, log: (message) => said.push(message) },
    );
    keeper.stop();
    expect(held).toEqual([]);
    expect(said).toEqual([
      expect.stringMatching(/could not be read \(a record of an unknown shape\); set aside as .*unreadable-/),
    ]);
    expect(readdirSync(dir).filter((name) => name.includes('unreadable-'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).data).toEqual({ items: [] });
  });
});
