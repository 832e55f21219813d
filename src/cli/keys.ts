// `npm run keys -- create --role finance --name "Finance team"` | list | revoke <id>
import { parseArgs } from 'node:util';
import { ApiKeyStore, isRole, ROLES } from '../access';
import { loadConfig } from '../config';
import { AppError } from '../errors';
import { createDatabase } from '../infra/database';
import { databaseUrlFor, runMain } from './process';

const USAGE = `Usage:
  npm run keys -- create --role <${ROLES.join('|')}> --name <name>
  npm run keys -- list
  npm run keys -- revoke <key id>`;

runMain(async () => {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  const db = createDatabase({ url: databaseUrlFor(config).url, poolSize: 1 });
  const keys = new ApiKeyStore(db);
  try {
    switch (command) {
      case 'create': {
        if (!isRole(values.role)) {
          throw new AppError('VALIDATION_FAILED', `--role must be one of ${ROLES.join(', ')}\n${USAGE}`, {
            field: 'role',
          });
        }
        const name = values.name?.trim();
        if (!name) throw new AppError('VALIDATION_FAILED', `--name is required\n${USAGE}`, { field: 'name' });
        const created = await keys.create({ name, role: values.role });
        process.stdout.write(
          `Created ${created.role} key "${created.name}" (id ${created.id}).\n` +
            `Key (shown once, store it now):\n${created.key}\n`,
        );
        break;
      }
      case 'list': {
        for (const key of await keys.list()) {
          const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
          process.stdout.write(
            `${key.id}  ${key.role.padEnd(8)}  ${key.prefix.padEnd(16)}  ${state.padEnd(32)}  ${key.name}\n`,
          );
        }
        break;
      }
      case 'revoke': {
        const id = rest[0];
        if (!id || !/^[0-9a-f-]{36}$/i.test(id)) {
          throw new AppError('VALIDATION_FAILED', `revoke needs the key id (a UUID)\n${USAGE}`, {
            field: 'id',
          });
        }
        const revoked = await keys.revoke(id);
        process.stdout.write(`Revoked ${revoked.role} key "${revoked.name}" (${revoked.id}).\n`);
        break;
      }
      default:
        throw new AppError('VALIDATION_FAILED', `unknown command ${command}\n${USAGE}`, { field: 'command' });
    }
  } finally {
    await db.$disconnect();
  }
});
