// `npm run fx -- import <file> [<file> ...]` | `fetch [--url <url>]` | `status`: the ECB's euro
// reference rates in PostgreSQL, read by quotes and settlement when FX_RATES=database.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { AppError } from '../errors';
import { createDatabase } from '../infra/database';
import { downloadReferenceRates, FxReferenceStore, parseEcbReferenceRates } from '../infra/fx';
import { databaseUrlFor, runMain } from './process';

const USAGE = `Usage:
  npm run fx -- import <file> [<file> ...]
      imports the ECB's euro reference rates from its files (eurofxref-daily.xml,
      eurofxref-hist.xml, eurofxref.csv, eurofxref-hist.csv); days imported before are kept,
      a day imported before with other rates is refused and nothing of that file is written
  npm run fx -- fetch [--url <url>]
      downloads the day's file (FX_ECB_DAILY_URL, the ECB's eurofxref-daily.xml) and imports it;
      (npm run schedules -- create-daily-fx-import --at 16:30 does it every day)
  npm run fx -- status
      how many days are stored, the first and the last`;

runMain(async () => {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...files] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  const db = createDatabase({ url: databaseUrlFor(config).url, poolSize: 1 });
  const store = new FxReferenceStore(db);
  /** Imports one file's text and says what it held. */
  const importText = async (name: string, text: string) => {
    const parsed = parseEcbReferenceRates(text);
    const { added, unchanged } = await store.importDays(parsed.days);
    const first = parsed.days[0]!.date;
    const last = parsed.days[parsed.days.length - 1]!.date;
    process.stdout.write(
      `${name}: ${days(parsed.days.length)} (${first} to ${last}), ${added} added, ${unchanged} already there` +
        (parsed.skippedCurrencies.length
          ? `; left out (not active ISO 4217 codes): ${parsed.skippedCurrencies.join(', ')}`
          : '') +
        '\n',
    );
  };
  try {
    switch (command) {
      case 'import': {
        if (files.length === 0) {
          throw new AppError('VALIDATION_FAILED', `import needs a file\n${USAGE}`, { field: 'file' });
        }
        for (const file of files) await importText(file, await readFile(file, 'utf8'));
        break;
      }
      case 'fetch': {
        const url = values.url ?? config.FX_ECB_DAILY_URL;
        await importText(url, await downloadReferenceRates(url));
        break;
      }
      case 'status': {
        const summary = await store.summary('EUR');
        process.stdout.write(
          summary.days === 0
            ? `No reference rates imported (FX_RATES=${config.FX_RATES}).\n`
            : `${days(summary.days)} of EUR reference rates, ${summary.first} to ${summary.last} (FX_RATES=${config.FX_RATES}).\n`,
        );
        break;
      }
      default:
        throw new AppError('VALIDATION_FAILED', `unknown command ${command}\n${USAGE}`, { field: 'command' });
    }
  } finally {
    await db.$disconnect();
  }
});

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}
