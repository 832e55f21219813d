// The import of the ECB's reference rates into PostgreSQL (FX_RATES=database reads them):
// download, parse, store each day once. Idempotent: a retry stores nothing twice.
import type { Database } from '../src/infra/database';
import {
  downloadReferenceRates,
  FxReferenceStore,
  parseEcbReferenceRates,
  type FxImportInput,
} from '../src/infra/fx';
import { activity } from './activity';

export interface FxImportResult {
  days: number;
  added: number;
  unchanged: number;
  first: string;
  last: string;
  skippedCurrencies: string[];
}

export function createFxActivities({ db }: { db: Database }) {
  const store = new FxReferenceStore(db);
  return {
    /**
     * Downloads the reference-rate file at `url` and imports its days. Unreachable or not 2xx:
     * DEPENDENCY_UNAVAILABLE (retried); not a reference-rate file: VALIDATION_FAILED; a day
     * already stored with other rates: CONFLICT (neither retried).
     */
    importReferenceRates: activity(async (input: FxImportInput): Promise<FxImportResult> => {
      const parsed = parseEcbReferenceRates(await downloadReferenceRates(input.url));
      const { added, unchanged } = await store.importDays(parsed.days);
      return {
        days: parsed.days.length,
        added,
        unchanged,
        first: parsed.days[0]!.date,
        last: parsed.days[parsed.days.length - 1]!.date,
        skippedCurrencies: parsed.skippedCurrencies,
      };
    }),
  };
}

export type FxActivities = ReturnType<typeof createFxActivities>;
