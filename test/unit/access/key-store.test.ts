import { ApiKeyStore } from '../../../src/access';
import type { Database } from '../../../src/infra/database';

/** A store over a database that only counts (and can fail) the touch UPDATE. */
function storeWithCountedUpdates() {
  const updates: { id: string; at: Date }[] = [];
  let failNext = false;
  const db = {
    apiKey: {
      updateMany: async (args: { where: { id: string }; data: { lastUsedAt: Date } }) => {
        if (failNext) {
          failNext = false;
          throw new Error('connection reset');
        }
        updates.push({ id: args.where.id, at: args.data.lastUsedAt });
        return { count: 1 };
      },
    },
  } as unknown as Database;
  return { store: new ApiKeyStore(db), updates, failOnce: () => (failNext = true) };
}

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, seconds));

describe('ApiKeyStore.touch', () => {
  it('sends one UPDATE per key and minute from a process, however busy the key', async () => {
    const { store, updates } = storeWithCountedUpdates();
    await store.touch('key-a', at(0));
    await store.touch('key-a', at(1));
    await store.touch('key-a', at(59));
    await store.touch('key-b', at(30));
    await store.touch('key-a', at(60));
    expect(updates).toEqual([
      { id: 'key-a', at: at(0) },
      { id: 'key-b', at: at(30) },
      { id: 'key-a', at: at(60) },
    ]);
  });

  it('tries again on the next use when the UPDATE failed', async () => {
    const { store, updates, failOnce } = storeWithCountedUpdates();
    failOnce();
    await expect(store.touch('key-a', at(0))).rejects.toThrow('connection reset');
    await store.touch('key-a', at(5));
    expect(updates).toEqual([{ id: 'key-a', at: at(5) }]);
  });
});
