// `npm run keys -- create --role finance --name "Finance team"` | list | revoke <id> |
// rotate <id> [--grace-minutes N]. Every change is written to the audit log (actor role `cli`).
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ApiKeyStore, isRole, ROLES } from '../access';
import { MAX_GRACE_MINUTES } from '../api/routes/access';
import { loadConfig } from '../config';
import { AppError } from '../errors';
import { AuditLog, type AuditAction } from '../infra/audit';
import { createDatabase } from '../infra/database';
import { databaseUrlFor, runMain } from './process';

const USAGE = `Usage:
  npm run keys -- create --role <${ROLES.join('|')}> --name <name>
  npm run keys -- list
  npm run keys -- revoke <key id>
  npm run keys -- rotate <key id> [--grace-minutes <0..${MAX_GRACE_MINUTES}>]
      a new key with the same name and role (printed once); the old key is revoked at once, or
      after the grace period (both work until then)`;

runMain(async () => {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      'grace-minutes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  const db = createDatabase({ url: databaseUrlFor(config).url, poolSize: 1 });
  const keys = new ApiKeyStore(db);
  const audit = new AuditLog(db);
  const audited = async <T>(
    action: Pick<AuditAction, 'subjectId' | 'body'>,
    run: () => Promise<T & { auditSubjectId?: string }>,
  ): Promise<T> => {
    const entry: AuditAction = {
      requestId: randomUUID(),
      actor: { keyId: null, name: `npm run keys (${whoAmI()})`.slice(0, 200), role: 'cli' },
      method: 'CLI',
      route: `keys ${command}`,
      subjectType: 'api-keys',
      ...action,
    };
    const intentId = await audit.recordIntent(entry);
    const started = performance.now();
    try {
      const result = await run();
      await audit.recordResult({
        ...entry,
        subjectId: entry.subjectId ?? result.auditSubjectId,
        intentId,
        statusCode: 200,
        durationMs: performance.now() - started,
      });
      return result;
    } catch (error) {
      await audit
        .recordResult({
          ...entry,
          intentId,
          statusCode: error instanceof AppError ? error.status : 500,
          errorCode: error instanceof AppError ? error.code : 'INTERNAL',
          durationMs: performance.now() - started,
        })
        .catch(() => undefined);
      throw error;
    }
  };
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
        const role = values.role;
        const created = await audited({ body: { name, role } }, async () => {
          const key = await keys.create({ name, role });
          return { ...key, auditSubjectId: key.id };
        });
        process.stdout.write(
          `Created ${created.role} key "${created.name}" (id ${created.id}).\n` +
            `Key (shown once, store it now):\n${created.key}\n`,
        );
        break;
      }
      case 'list': {
        for (const key of await keys.list()) {
          const state = !key.revokedAt
            ? 'active'
            : key.revokedAt > new Date()
              ? `active, revoked at ${key.revokedAt.toISOString()}`
              : `revoked ${key.revokedAt.toISOString()}`;
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
        const revoked = await audited({ subjectId: id }, () => keys.revoke(id));
        process.stdout.write(`Revoked ${revoked.role} key "${revoked.name}" (${revoked.id}).\n`);
        break;
      }
      case 'rotate': {
        const id = rest[0];
        if (!id || !/^[0-9a-f-]{36}$/i.test(id)) {
          throw new AppError('VALIDATION_FAILED', `rotate needs the key id (a UUID)\n${USAGE}`, {
            field: 'id',
          });
        }
        const graceText = values['grace-minutes'] ?? '0';
        const graceMinutes = Number(graceText);
        if (!/^\d+$/.test(graceText) || graceMinutes > MAX_GRACE_MINUTES) {
          throw new AppError(
            'VALIDATION_FAILED',
            `--grace-minutes must be a whole number of minutes from 0 to ${MAX_GRACE_MINUTES}\n${USAGE}`,
            { field: 'grace-minutes' },
          );
        }
        const { created, previous } = await audited({ subjectId: id, body: { graceMinutes } }, () =>
          keys.rotate(id, { graceMs: graceMinutes * 60_000 }),
        );
        const until =
          graceMinutes > 0
            ? `keeps working until ${previous.revokedAt!.toISOString()} (${graceMinutes} min grace), then is revoked`
            : 'is revoked now';
        process.stdout.write(
          `Rotated ${created.role} key "${created.name}": the old key (id ${previous.id}) ${until}.\n` +
            `New key (id ${created.id}; shown once, store it now):\n${created.key}\n`,
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

function whoAmI(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return hostname();
  }
}
