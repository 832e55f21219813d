// `npm run schedules -- create-daily-settlement --currency EUR --at 02:00 [--merchant <id> ...]`
// | delete-daily-settlement --currency EUR | describe-daily-settlement --currency EUR
// `npm run schedules -- create-daily-reconciliation --currency EUR --at 03:00`
// | delete-daily-reconciliation --currency EUR | describe-daily-reconciliation --currency EUR
// `npm run schedules -- create-daily-fx-import --at 16:30 [--url <url>]` | describe-… | delete-…
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { dailyReconciliationScheduleId } from '../domain/reconciliation/temporal';
import { dailyScheduleId } from '../domain/settlement';
import { AppError } from '../errors';
import { ensureDailyFxImportSchedule, FX_IMPORT_SCHEDULE_ID } from '../infra/fx/schedules';
import { ensureDailyReconciliationSchedule } from '../infra/reconciliation/schedules';
import { ensureDailySettlementSchedule } from '../infra/settlement/schedules';
import { connectClient } from '../infra/temporal';
import { runMain, temporalTargetFor } from './process';

const USAGE = `Usage:
  npm run schedules -- create-daily-settlement --currency <CCY> --at <HH:MM UTC> [--merchant <id> ...]
  npm run schedules -- describe-daily-settlement --currency <CCY>
  npm run schedules -- delete-daily-settlement --currency <CCY>
  npm run schedules -- create-daily-reconciliation --currency <CCY> --at <HH:MM UTC>
  npm run schedules -- describe-daily-reconciliation --currency <CCY>
  npm run schedules -- delete-daily-reconciliation --currency <CCY>
  npm run schedules -- create-daily-fx-import --at <HH:MM UTC> [--url <url>]
  npm run schedules -- describe-daily-fx-import
  npm run schedules -- delete-daily-fx-import
The create commands are idempotent: run again, they update the schedule to the options given.`;

runMain(async () => {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      currency: { type: 'string' },
      at: { type: 'string' },
      merchant: { type: 'string', multiple: true },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const fxImport = command.endsWith('-fx-import');
  const currency = values.currency?.trim().toUpperCase() ?? '';
  if (!currency && !fxImport)
    throw new AppError('VALIDATION_FAILED', `--currency is required\n${USAGE}`, { field: 'currency' });
  const config = loadConfig();
  const temporal = await connectClient(temporalTargetFor(config).target);
  try {
    const scheduleId = fxImport
      ? FX_IMPORT_SCHEDULE_ID
      : command.endsWith('-reconciliation')
        ? dailyReconciliationScheduleId(currency)
        : dailyScheduleId(currency);
    /** The create commands' --at, which they cannot do without. */
    const requiredAt = (): string => {
      if (!values.at) throw new AppError('VALIDATION_FAILED', `--at is required\n${USAGE}`, { field: 'at' });
      return values.at;
    };
    switch (command) {
      case 'create-daily-settlement': {
        const at = requiredAt();
        const result = await ensureDailySettlementSchedule(temporal.client, {
          currency,
          at,
          taskQueue: config.ORDERS_TASK_QUEUE,
          merchantIds: values.merchant?.length ? values.merchant : null,
        });
        process.stdout.write(
          `Schedule ${result.scheduleId} ${result.outcome}: a settlement run of ${currency} every day at ` +
            `${at} UTC (settling the previous UTC day) on task queue ${config.ORDERS_TASK_QUEUE}.\n`,
        );
        break;
      }
      case 'create-daily-reconciliation': {
        const at = requiredAt();
        const result = await ensureDailyReconciliationSchedule(temporal.client, {
          currency,
          at,
          taskQueue: config.ORDERS_TASK_QUEUE,
        });
        process.stdout.write(
          `Schedule ${result.scheduleId} ${result.outcome}: a reconciliation of ${currency} every day at ` +
            `${at} UTC (the previous UTC day; it books Stripe's fees of that day) on task queue ` +
            `${config.ORDERS_TASK_QUEUE}.\n`,
        );
        break;
      }
      case 'create-daily-fx-import': {
        const at = requiredAt();
        const url = values.url ?? config.FX_ECB_DAILY_URL;
        const result = await ensureDailyFxImportSchedule(temporal.client, {
          at,
          url,
          taskQueue: config.ORDERS_TASK_QUEUE,
        });
        process.stdout.write(
          `Schedule ${result.scheduleId} ${result.outcome}: the ECB reference rates imported from ${url} every ` +
            `day at ${at} UTC on task queue ${config.ORDERS_TASK_QUEUE}.\n`,
        );
        break;
      }
      case 'describe-daily-settlement':
      case 'describe-daily-reconciliation':
      case 'describe-daily-fx-import': {
        const description = await temporal.client.schedule.getHandle(scheduleId).describe();
        const next = description.info.nextActionTimes.slice(0, 3).map((d) => d.toISOString());
        const recent = description.info.recentActions
          .slice(-3)
          .map(
            (a) =>
              `${a.takenAt.toISOString()} ${a.action.type === 'startWorkflow' ? a.action.workflow.workflowId : ''}`,
          );
        process.stdout.write(
          `${scheduleId}: ${description.state.paused ? 'paused' : 'active'}\n` +
            `  next: ${next.join(', ') || '-'}\n  recent: ${recent.join('; ') || '-'}\n`,
        );
        break;
      }
      case 'delete-daily-settlement':
      case 'delete-daily-reconciliation':
      case 'delete-daily-fx-import':
        await temporal.client.schedule.getHandle(scheduleId).delete();
        process.stdout.write(`Schedule ${scheduleId} deleted.\n`);
        break;
      default:
        throw new AppError('VALIDATION_FAILED', `unknown command ${command}\n${USAGE}`, { field: 'command' });
    }
  } finally {
    await temporal.close();
  }
});
