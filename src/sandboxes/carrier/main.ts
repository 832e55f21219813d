import {
  DEFAULT_CARRIER_API_KEY,
  DEFAULT_CARRIER_WEBHOOK_SECRET,
  DEV_PROGRESSION,
  startCarrierSandbox,
} from './index';

/**
 * Runs the carrier sandbox on its own: `npx tsx src/sandboxes/carrier/main.ts`.
 * CARRIER_SANDBOX_PORT (default 12113), CARRIER_API_KEY, CARRIER_WEBHOOK_SECRET,
 * CARRIER_WEBHOOK_URL (where tracking events go; default none), CARRIER_WEBHOOK_CHAOS=false to
 * deliver each event once and in order. Labels progress on their own as in `npm run dev`.
 */
async function main(): Promise<void> {
  const apiKey = process.env.CARRIER_API_KEY || DEFAULT_CARRIER_API_KEY;
  const chaos = process.env.CARRIER_WEBHOOK_CHAOS !== 'false';
  const sandbox = await startCarrierSandbox({
    port: Number(process.env.CARRIER_SANDBOX_PORT || 12113),
    apiKeys: [apiKey],
    webhookSecret: process.env.CARRIER_WEBHOOK_SECRET || DEFAULT_CARRIER_WEBHOOK_SECRET,
    ...(process.env.CARRIER_WEBHOOK_URL ? { webhookUrl: process.env.CARRIER_WEBHOOK_URL } : {}),
    duplicates: chaos,
    outOfOrder: chaos,
    outOfOrderHoldMs: 60_000,
    progression: DEV_PROGRESSION,
  });
  process.stdout.write(
    `Carrier sandbox listening on ${sandbox.url} (API key: ${apiKey}; webhooks: ${sandbox.webhooks.url ?? 'none'}` +
      `${chaos ? ', duplicated and out of order' : ''})\n`,
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
