import { TestWorkflowEnvironment } from '@temporalio/testing';
import { AppError } from '../../errors';
import { buildGoTool, defaultCacheDir, findGoTool, type GoToolSpec } from '../tools/go-tool';
import { isPortInUse } from '../net';

/**
 * The Temporal CLI, which contains the real Temporal dev server (Temporal Server with SQLite
 * persistence and the Web UI). v1.5.1 (Server 1.29.1) is the newest release whose go.mod has
 * no `replace` directive, so `go install` can build it from the Go module proxy.
 */
export const TEMPORAL_CLI: GoToolSpec = {
  name: 'temporal',
  goPackage: 'github.com/temporalio/cli/cmd/temporal',
  version: 'v1.5.1',
  pathVariable: 'TEMPORAL_CLI_PATH',
};

export interface DevServerOptions {
  /** TEMPORAL_CLI_PATH, if set. */
  cliPath?: string | undefined;
  cacheDir?: string | undefined;
  namespace?: string;
  ip?: string;
  /** Frontend port; omitted: a free port. */
  port?: number;
  /** Web UI port; omitted: no UI. */
  uiPort?: number;
  /**
   * Remote codec endpoint the Web UI decodes payloads with (`--ui-codec-endpoint`), e.g.
   * http://127.0.0.1:3000/codec; the UI calls <endpoint>/decode from the browser.
   */
  uiCodecEndpoint?: string;
  /** SQLite file; omitted: in memory, gone when the server stops. */
  dbFilename?: string;
  log?: (message: string) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  /** How the CLI was found: a path, or `sdk-download`. */
  executable: string;
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` through the SDK's ephemeral-server support. The CLI is
 * found in this order: TEMPORAL_CLI_PATH, the cache folder, PATH; else the SDK's own download
 * (needs internet); else `go install` of the pinned version into the cache folder; else an
 * error that says what to install.
 */
export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  for (const [port, variable] of [
    [options.port, 'TEMPORAL_DEV_PORT'],
    [options.uiPort, 'TEMPORAL_UI_PORT'],
  ] as const) {
    if (port !== undefined && port !== 0 && (await isPortInUse(port, ip))) {
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        `Port ${port} is already in use, so the Temporal dev server cannot start there. Stop what uses it ` +
          `(another \`npm run dev\`?), set ${variable} to a free port, or set TEMPORAL_ADDRESS to a running server.`,
        { field: variable },
      );
    }
  }

  const server = {
    namespace,
    ip,
    ...(options.port ? { port: options.port } : {}),
    ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
    ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
    ...(options.uiPort && options.uiCodecEndpoint
      ? { extraArgs: ['--ui-codec-endpoint', options.uiCodecEndpoint] }
      : {}),
    log: { format: 'pretty', level: 'warn' },
  };
  const lookup = { spec: TEMPORAL_CLI, explicitPath: options.cliPath, cacheDir, log };

  const start = async (executable: string) => {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ...server,
        executable:
          executable === 'sdk-download'
            ? { type: 'cached-download', downloadDir: `${cacheDir}/sdk-download` }
            : { type: 'existing-path', path: executable },
      },
    });
    return {
      address: env.address,
      namespace,
      uiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : undefined,
      executable,
      env,
      stop: () => env.teardown(),
    };
  };

  const found = findGoTool(lookup);
  if (found) return start(found);

  try {
    return await start('sdk-download');
  } catch (error) {
    log(
      `The Temporal SDK could not download the CLI (${firstLine(error)}); building it from source instead.`,
    );
  }
  return start(await buildGoTool(lookup));
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? 'unknown error';
}
