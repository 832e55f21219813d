import { DEFAULT_CUSTOMS_API_KEY, startCustomsBrokerSandbox } from './index';

/**
 * Runs the customs broker sandbox on its own: `npx tsx src/sandboxes/customs-broker/main.ts`.
 * CUSTOMS_SANDBOX_PORT (default 12112), CUSTOMS_BROKER_API_KEY (default cb_test_borderline_sandbox),
 * CUSTOMS_PROCESSING_DELAY_MS (default 1000).
 */
async function main(): Promise<void> {
  const apiKey = process.env.CUSTOMS_BROKER_API_KEY || DEFAULT_CUSTOMS_API_KEY;
  const sandbox = await startCustomsBrokerSandbox({
    port: Number(process.env.CUSTOMS_SANDBOX_PORT || 12112),
    apiKeys: [apiKey],
    processingDelayMs: Number(process.env.CUSTOMS_PROCESSING_DELAY_MS || 1000),
  });
  process.stdout.write(`Customs broker sandbox listening on ${sandbox.url} (API key: ${apiKey})\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
