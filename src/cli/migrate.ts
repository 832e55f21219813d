// `npm run migrate`: apply pending migrations (also done by the API and worker at start).
import { loadConfig } from '../config';
import { migrate } from '../infra/database';
import { databaseUrlFor, runMain } from './process';

runMain(async () => {
  const config = loadConfig();
  const database = databaseUrlFor(config);
  process.stdout.write(`Migrating ${database.source}\n`);
  const result = await migrate({ databaseUrl: database.url, log: (m) => process.stdout.write(`  ${m}\n`) });
  process.stdout.write(
    `Done: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied` +
      (result.unknown.length ? `, ${result.unknown.length} applied by a newer release` : '') +
      '\n',
  );
});
