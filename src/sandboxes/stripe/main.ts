import { startStripeSandbox } from './index';

/**
 * Runs the Stripe sandbox on its own: `npx tsx src/sandboxes/stripe/main.ts`.
 * STRIPE_SANDBOX_PORT (default 12111), STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET.
 */
async function main(): Promise<void> {
  const sandbox = await startStripeSandbox({
    port: Number(process.env.STRIPE_SANDBOX_PORT ?? 12111),
    ...(process.env.STRIPE_WEBHOOK_URL ? { webhookUrl: process.env.STRIPE_WEBHOOK_URL } : {}),
    ...(process.env.STRIPE_WEBHOOK_SECRET ? { webhookSecret: process.env.STRIPE_WEBHOOK_SECRET } : {}),
  });
  process.stdout.write(
    `Stripe sandbox listening on ${sandbox.url} (secret key: any sk_test_… key; webhooks: ` +
      `${sandbox.webhooks.url ?? 'none'})\n`,
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
