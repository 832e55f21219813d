import { availableParallelism, cpus, totalmem } from 'node:os';

/** Writes a line to stdout (benchmarks report on stdout; no console in this code base). */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** A Markdown table: a header row and rows of cells. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const gib = (totalmem() / 1024 ** 3).toFixed(1);
  return `${availableParallelism()} CPUs (${cpu}), ${gib} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export const fixed = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
