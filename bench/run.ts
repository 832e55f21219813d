// `npm run bench [-- <name>...]`: runs every benchmark, or those named (landed-cost, quotes-api,
// order-start, saga-throughput, worker-memory, settlement).
import { run as runLandedCost } from './landed-cost';
import { run as runOrderStart } from './order-start';
import { run as runQuotesApi } from './quotes-api';
import { run as runSagaThroughput } from './saga-throughput';
import { run as runSettlement } from './settlement';
import { run as runWorkerMemory } from './worker-memory';
import { machine, say } from './report';

const BENCHES: Record<string, () => Promise<unknown>> = {
  'landed-cost': runLandedCost,
  'quotes-api': runQuotesApi,
  'order-start': runOrderStart,
  'saga-throughput': runSagaThroughput,
  'worker-memory': runWorkerMemory,
  settlement: runSettlement,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  }
  const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
  say(`# Borderline benchmarks, ${new Date().toISOString()}`);
  say(`Machine: ${machine()}`);
  for (const name of names) {
    say();
    say(`## ${name}`);
    await BENCHES[name]!();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
