// Pure computeLandedCost throughput on representative carts: no I/O, FX table prepared up front.
import { computeLandedCost, type LandedCostInput } from '../src/domain/landed-cost';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../src/infra/fx';
import { BENCH_CARTS } from './carts';
import { fixed, say, table } from './report';

const QUOTE_TIME = new Date('2026-11-25T12:00:00Z');
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 3000);

export interface LandedCostResult {
  cart: string;
  lines: number;
  opsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function measure(input: LandedCostInput): { opsPerSecond: number; p50Micros: number; p99Micros: number } {
  const until = (ms: number, record?: number[]) => {
    const end = performance.now() + ms;
    let count = 0;
    while (performance.now() < end) {
      const started = process.hrtime.bigint();
      computeLandedCost(input);
      const took = process.hrtime.bigint() - started;
      record?.push(Number(took) / 1000);
      count += 1;
    }
    return count;
  };
  until(WARMUP_MS);
  const samples: number[] = [];
  const started = performance.now();
  const count = until(MEASURE_MS, samples);
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(samples).sort();
  return {
    opsPerSecond: count / elapsed,
    p50Micros: percentile(sorted, 50),
    p99Micros: percentile(sorted, 99),
  };
}

export async function run(): Promise<LandedCostResult[]> {
  const fx = new ReferenceRateSource(ECB_SAMPLE_DAYS);
  const results: LandedCostResult[] = [];
  say(`computeLandedCost: ${WARMUP_MS} ms warm-up, ${MEASURE_MS} ms measured per cart, one call at a time`);
  for (const cart of BENCH_CARTS) {
    const currencies = ['EUR', 'USD', 'GBP', 'CAD', 'AUD', 'JPY'];
    const { table: fxRates } = await fx.ratesFor({ currencies, at: QUOTE_TIME });
    const input: LandedCostInput = { ...cart.input, quoteTime: QUOTE_TIME, fxRates };
    computeLandedCost(input); // fails loudly if a cart is not quotable
    const m = measure(input);
    results.push({ cart: cart.name, lines: cart.input.lines.length, ...m });
    say(`  ${cart.name}: ${fixed(m.opsPerSecond)} quotes/s`);
  }
  say();
  say(
    table(
      ['Cart', 'Lines', 'computeLandedCost / s', 'p50 µs', 'p99 µs'],
      results.map((r) => [
        r.cart,
        String(r.lines),
        fixed(r.opsPerSecond),
        fixed(r.p50Micros, 1),
        fixed(r.p99Micros, 1),
      ]),
    ),
  );
  return results;
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
}
