// The partners' stand-ins of saga-throughput and worker-memory in a child process of their own
// (the Stripe, customs broker and carrier sandboxes), so their CPU is measured apart from the
// API's: in production they are other companies' servers. Options come in BENCH_SANDBOXES (JSON);
// the first message gives their addresses; later messages set the webhook URLs (once the API
// listens) and the carrier's progression, each answered with { ok: true }.
import { startCarrierSandbox, type AutoProgression } from '../src/sandboxes/carrier';
import { startCustomsBrokerSandbox } from '../src/sandboxes/customs-broker';
import { startStripeSandbox } from '../src/sandboxes/stripe';
import { runChild, stopWhenParentLeaves } from './child';

export interface SandboxesOptions {
  stripeWebhookSecret: string;
  carrierWebhookSecret: string;
  progression: AutoProgression | null;
}

export interface SandboxesReady {
  stripe: { host: string; port: number; secretKey: string };
  customs: { url: string; apiKey: string };
  carrier: { url: string; apiKey: string };
}

export type SandboxesCommand =
  | { type: 'webhooks'; stripeUrl: string; carrierUrl: string }
  | { type: 'progression'; progression: AutoProgression | null };

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_SANDBOXES ?? '{}') as SandboxesOptions;
  const stripe = await startStripeSandbox({ webhookSecret: options.stripeWebhookSecret });
  const customs = await startCustomsBrokerSandbox({ processingDelayMs: 0 });
  const carrier = await startCarrierSandbox({
    webhookSecret: options.carrierWebhookSecret,
    progression: options.progression,
  });
  process.on('message', (command: SandboxesCommand) => {
    if (command.type === 'webhooks') {
      stripe.webhooks.configure({ url: command.stripeUrl });
      carrier.webhooks.configure({ url: command.carrierUrl });
    } else {
      carrier.setProgression(command.progression);
    }
    process.send?.({ ok: true });
  });
  const ready: SandboxesReady = {
    stripe: { host: stripe.host, port: stripe.port, secretKey: stripe.secretKey },
    customs: { url: customs.url, apiKey: customs.apiKey },
    carrier: { url: carrier.url, apiKey: carrier.apiKey },
  };
  process.send?.(ready);
  stopWhenParentLeaves(() => Promise.allSettled([stripe.close(), customs.close(), carrier.close()]));
}

runChild(main);
