import type { Config } from '../config';
import { AppError } from '../errors';
import { isPortInUse, reachableHost } from '../infra/net';
import { sandboxStateFile } from './dev-state';
import { DEV_PROGRESSION, startCarrierSandbox, type CarrierSandbox } from '../sandboxes/carrier';
import { startCustomsBrokerSandbox, type CustomsBrokerSandbox } from '../sandboxes/customs-broker';

export const CARRIER_WEBHOOK_PATH = '/v1/webhooks/carrier';

async function refuseBusyPort(
  port: number,
  what: string,
  portVariable: string,
  urlVariable: string,
): Promise<void> {
  if (port !== 0 && (await isPortInUse(port))) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `Port ${port} is already in use, so the ${what} sandbox cannot start there. Stop what uses it ` +
        `(another \`npm run dev\`?), set ${portVariable} to a free port, or ${urlVariable} to a running ${what} API.`,
      { field: portVariable },
    );
  }
}

/**
 * `npm run dev`'s customs broker: the sandbox on CUSTOMS_SANDBOX_PORT accepting
 * CUSTOMS_BROKER_API_KEY, answering after about a second, unless CUSTOMS_BROKER_URL points at a
 * broker (then undefined).
 */
export async function startDevCustomsBrokerSandbox(
  config: Config,
  log: (message: string) => void,
): Promise<CustomsBrokerSandbox | undefined> {
  if (config.CUSTOMS_BROKER_URL) return undefined;
  await refuseBusyPort(
    config.CUSTOMS_SANDBOX_PORT,
    'customs broker',
    'CUSTOMS_SANDBOX_PORT',
    'CUSTOMS_BROKER_URL',
  );
  return startCustomsBrokerSandbox({
    port: config.CUSTOMS_SANDBOX_PORT,
    apiKeys: [config.CUSTOMS_BROKER_API_KEY],
    processingDelayMs: 1_000,
    stateFile: sandboxStateFile(config, 'customs-broker'),
    log,
  });
}

/**
 * `npm run dev`'s carrier: the sandbox on CARRIER_SANDBOX_PORT accepting CARRIER_API_KEY, signing
 * tracking webhooks with CARRIER_WEBHOOK_SECRET, delivering them twice and out of order (as real
 * carriers do), with labels handed over 20 s after purchase and delivered 40 s later; unless
 * CARRIER_API_URL points at a carrier (then undefined). Webhooks go nowhere until
 * `connectCarrierWebhooks`; failed deliveries are retried and logged in the sandbox quietly.
 */
export async function startDevCarrierSandbox(
  config: Config,
  log: (message: string) => void,
): Promise<CarrierSandbox | undefined> {
  if (config.CARRIER_API_URL) return undefined;
  await refuseBusyPort(config.CARRIER_SANDBOX_PORT, 'carrier', 'CARRIER_SANDBOX_PORT', 'CARRIER_API_URL');
  return startCarrierSandbox({
    port: config.CARRIER_SANDBOX_PORT,
    apiKeys: [config.CARRIER_API_KEY],
    webhookSecret: config.CARRIER_WEBHOOK_SECRET,
    duplicates: true,
    duplicateDelayMs: 2_000,
    outOfOrder: true,
    outOfOrderHoldMs: 60_000,
    progression: DEV_PROGRESSION,
    stateFile: sandboxStateFile(config, 'carrier'),
    log,
  });
}

/** Points the carrier sandbox's webhooks at the API now listening on `apiPort`; returns the URL. */
export function connectCarrierWebhooks(sandbox: CarrierSandbox, apiHost: string, apiPort: number): string {
  const url = `http://${reachableHost(apiHost)}:${apiPort}${CARRIER_WEBHOOK_PATH}`;
  sandbox.webhooks.configure({ url });
  return url;
}
