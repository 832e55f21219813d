import type { Config } from '../config';
import { AppError } from '../errors';
import { isPortInUse, reachableHost } from '../infra/net';
import { startStripeSandbox, type StripeSandbox } from '../sandboxes/stripe';
import { sandboxStateFile } from './dev-state';

export const STRIPE_WEBHOOK_PATH = '/v1/webhooks/stripe';

/**
 * `npm run dev`'s Stripe: the local sandbox on STRIPE_SANDBOX_PORT, signing its webhooks with
 * STRIPE_WEBHOOK_SECRET (so the API verifies them as it would Stripe's), keeping its payments in
 * DATA_DIR across restarts, unless STRIPE_API_BASE points at another Stripe-compatible API (then
 * undefined). Webhooks go nowhere until
 * `connectStripeWebhooks` gives the API's address.
 */
export async function startDevStripeSandbox(
  config: Config,
  log: (message: string) => void,
): Promise<StripeSandbox | undefined> {
  if (config.STRIPE_API_BASE) return undefined;
  const port = config.STRIPE_SANDBOX_PORT;
  if (port !== 0 && (await isPortInUse(port))) {
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `Port ${port} is already in use, so the Stripe sandbox cannot start there. Stop what uses it ` +
        '(another `npm run dev`?), set STRIPE_SANDBOX_PORT to a free port, or STRIPE_API_BASE to a running ' +
        'Stripe-compatible API.',
      { field: 'STRIPE_SANDBOX_PORT' },
    );
  }
  return startStripeSandbox({
    port,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    stateFile: sandboxStateFile(config, 'stripe'),
    log,
  });
}

/** Points the sandbox's webhooks at the API now listening on `apiPort`; returns the URL. */
export function connectStripeWebhooks(sandbox: StripeSandbox, apiHost: string, apiPort: number): string {
  const url = `http://${reachableHost(apiHost)}:${apiPort}${STRIPE_WEBHOOK_PATH}`;
  sandbox.webhooks.configure({ url });
  return url;
}
