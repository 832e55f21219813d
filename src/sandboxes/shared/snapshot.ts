import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import type { IdempotencyStore } from '../stripe/idempotency';
import { closeServer, listen } from './http';

/**
 * A sandbox's memory kept in a JSON file, so that `npm run dev` restarted on the same DATA_DIR
 * finds the payments, declarations and shipments its PostgreSQL and Temporal still refer to, as
 * the real partners would. The file is read once at start and written (whole, to a temporary
 * file renamed over it, so a crash leaves the old or the new one) at most every `everyMs` when
 * the state changed, and when the sandbox closes (a process killed outright loses up to `everyMs`
 * of changes; a power cut may lose more, as the file is not synced to disk). A file of another
 * format version, or one that does not parse or restore, is set aside (renamed
 * `*.unreadable-<time>`) and the sandbox starts empty. Each write serialises the whole state:
 * meant for a development machine's few thousand objects, not for load.
 */
export interface SnapshotSource<T> {
  snapshot(): T;
  restore(data: T): void;
  /** Forgets everything, timers included (a restore that failed halfway must not leave half a state). */
  reset(): void;
}

export interface SnapshotKeeper {
  /** Writes the state now if it changed since the last write. */
  flush(): void;
  /** Stops the periodic writes after a last flush. */
  stop(): void;
}

export interface SnapshotOptions {
  /** Bumped when the shape of the data changes: an older file is set aside, not misread. */
  version: number;
  /** Default 1 s. */
  everyMs?: number;
  log?: (message: string) => void;
}

export function keepSnapshots<T>(
  file: string,
  source: SnapshotSource<T>,
  options: SnapshotOptions,
): SnapshotKeeper {
  const log = options.log ?? (() => undefined);
  let written: string | undefined;
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    let refused: string | undefined;
    try {
      const parsed = JSON.parse(text) as { version?: unknown; data?: T };
      if (parsed.version !== options.version || parsed.data === undefined) {
        refused = `it is not a snapshot of version ${options.version}`;
      } else {
        source.restore(parsed.data);
        written = text;
      }
    } catch (error) {
      source.reset();
      refused = `it could not be read (${(error as Error).message})`;
    }
    if (refused) {
      const aside = `${file}.unreadable-${Date.now()}`;
      renameSync(file, aside);
      log(`${file}: ${refused}; set aside as ${aside}, starting empty`);
    }
  }

  const flush = () => {
    const text = JSON.stringify({ version: options.version, data: source.snapshot() });
    if (text === written) return;
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.tmp-${process.pid}`;
    try {
      writeFileSync(temporary, text);
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    written = text;
  };
  // A failing write (a full disk) is said once, and again only after one has succeeded.
  let failing = false;
  const timer = setInterval(() => {
    try {
      flush();
      failing = false;
    } catch (error) {
      if (!failing) log(`could not write ${file}: ${(error as Error).message}; trying again`);
      failing = true;
    }
  }, options.everyMs ?? 1_000);
  timer.unref();
  return {
    flush,
    stop: () => {
      clearInterval(timer);
      flush();
    },
  };
}

/** A sandbox's state and its answered idempotency keys, kept in `file` (see keepSnapshots). */
function keepSandboxSnapshots<S>(
  file: string | undefined,
  parts: { state: SnapshotSource<S>; idempotency: IdempotencyStore },
  log?: (message: string) => void,
): SnapshotKeeper | undefined {
  if (!file) return undefined;
  return keepSnapshots<{ state: S; idempotency: ReturnType<IdempotencyStore['snapshot']> }>(
    file,
    {
      snapshot: () => ({ state: parts.state.snapshot(), idempotency: parts.idempotency.snapshot() }),
      restore: (data) => {
        parts.state.restore(data.state);
        parts.idempotency.restore(data.idempotency);
      },
      reset: () => {
        parts.state.reset();
        parts.idempotency.clear();
      },
    },
    { version: SANDBOX_SNAPSHOT_VERSION, ...(log ? { log } : {}) },
  );
}

/** The format of the sandboxes' snapshot files; bump it when a record's shape changes. */
export const SANDBOX_SNAPSHOT_VERSION = 1;

/** The options of a sandbox that keeps its state across restarts. */
export interface SnapshotFileOptions {
  /**
   * Where its objects and answered idempotency keys are kept across restarts (`npm run dev`:
   * DATA_DIR/sandboxes/<name>.json); none: in memory only. Webhooks not yet delivered are not kept.
   */
  stateFile?: string;
  /** Where a snapshot file set aside or not written is reported. */
  log?: (message: string) => void;
}

/**
 * Takes the sandbox's state from its file (options.stateFile, if any) and keeps it there, then
 * listens. Answers the port, and `close`: closes the server, then writes the state a last time
 * (even if closing failed). A sandbox that cannot listen stops keeping its state and forgets it
 * (its timers included).
 */
export async function listenKeepingState<S>(
  server: Server,
  at: { port: number; host: string },
  parts: { state: SnapshotSource<S>; idempotency: IdempotencyStore },
  options: SnapshotFileOptions,
): Promise<{ port: number; close: () => Promise<void> }> {
  const snapshots = keepSandboxSnapshots(options.stateFile, parts, options.log);
  let port: number;
  try {
    port = await listen(server, at.port, at.host);
  } catch (error) {
    snapshots?.stop();
    parts.state.reset();
    throw error;
  }
  const close = async () => {
    try {
      await closeServer(server);
    } finally {
      snapshots?.stop();
    }
  };
  return { port, close };
}
