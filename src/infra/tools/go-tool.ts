import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AppError } from '../../errors';

/**
 * Finds (or builds) a command-line tool that is published as a Go module: the Temporal CLI
 * (which contains the dev server) and Stripe's stripe-mock. Order: an explicit path from an
 * environment variable, the PATH, the cache folder, then `go install` of a pinned version into
 * the cache folder.
 */
export interface GoToolSpec {
  /** Executable name, e.g. `temporal`. */
  name: string;
  /** Go package path to install, e.g. `github.com/temporalio/cli/cmd/temporal`. */
  goPackage: string;
  /** Pinned module version, e.g. `v1.5.1`. */
  version: string;
  /** Environment variable that may point at an existing binary. */
  pathVariable: string;
}

export interface GoToolLookup {
  spec: GoToolSpec;
  /** Value of `spec.pathVariable`, if set. */
  explicitPath?: string | undefined;
  cacheDir: string;
  /** Prints progress for long operations (building takes minutes the first time). */
  log?: (message: string) => void;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string, pathValue = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathValue.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where a pinned build of the tool lives in the cache folder. */
export function cachedToolPath(spec: GoToolSpec, cacheDir: string): string {
  return join(cacheDir, 'bin', `${spec.name}-${spec.version}`, spec.name);
}

/** Finds an existing binary without building anything. */
export function findGoTool(lookup: GoToolLookup): string | undefined {
  const { spec, explicitPath, cacheDir } = lookup;
  if (explicitPath) {
    if (!isExecutable(explicitPath)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${spec.pathVariable} points at ${explicitPath}, which is not an executable file`,
        { field: spec.pathVariable },
      );
    }
    return explicitPath;
  }
  const cached = cachedToolPath(spec, cacheDir);
  if (isExecutable(cached)) return cached;
  return findOnPath(spec.name);
}

/** Builds the pinned version with `go install` into the cache folder and returns its path. */
export async function buildGoTool(lookup: GoToolLookup): Promise<string> {
  const { spec, cacheDir } = lookup;
  const log = lookup.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const go = findOnPath('go');
  if (!go) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `${spec.name} was not found and cannot be built: Go is not installed. Install ${spec.name} ` +
        `and set ${spec.pathVariable}, or install Go (https://go.dev/dl/) so that ` +
        `\`go install ${spec.goPackage}@${spec.version}\` can build it.`,
      { field: spec.pathVariable },
    );
  }
  const target = cachedToolPath(spec, cacheDir);
  const binDir = join(target, '..');
  mkdirSync(binDir, { recursive: true });
  log(
    `Building ${spec.name} ${spec.version} with \`go install ${spec.goPackage}@${spec.version}\` into ${binDir}. ` +
      'The first build downloads modules and compiles for a few minutes; later runs reuse it.',
  );
  const started = Date.now();
  const heartbeat = setInterval(() => {
    log(`  ... still building ${spec.name} (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 30_000);
  heartbeat.unref();
  try {
    const output = await run(go, ['install', `${spec.goPackage}@${spec.version}`], {
      ...process.env,
      GOBIN: binDir,
      GOFLAGS: process.env.GOFLAGS ?? '-mod=mod',
    });
    if (!isExecutable(target)) {
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        `go install finished but ${target} is missing:\n${output}`,
      );
    }
  } finally {
    clearInterval(heartbeat);
  }
  log(`Built ${spec.name} in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  return target;
}

/** Finds the tool, building it when it is nowhere to be found. */
export async function ensureGoTool(lookup: GoToolLookup): Promise<string> {
  return findGoTool(lookup) ?? (await buildGoTool(lookup));
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else
        reject(
          new AppError(
            'DEPENDENCY_UNAVAILABLE',
            `\`${command} ${args.join(' ')}\` exited with code ${code}:\n${output.slice(-4000)}`,
          ),
        );
    });
  });
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME ?? '/tmp', '.cache');
  return join(base, 'borderline');
}

export function ensureDir(path: string): string {
  if (!existsSync(path)) mkdirSync(path, { recursive: true });
  return path;
}
