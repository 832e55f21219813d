// `npm run schedules -- create-daily-settlement --currency EUR --at 02:00 [--merchant <id> ...]`
// | delete-daily-settlement --currency EUR | describe-daily-settlement --currency EUR
// `npm run schedules -- create-daily-reconciliation --currency EUR --at 03:00`
// | delete-daily-reconciliation --currency EUR | describe-daily-reconciliation --currency EUR
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { dailyReconciliationScheduleId } from '../domain/reconciliation/temporal';
import { dailyScheduleId } from '../domain/settlement';
import { AppError } from '../errors';
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
The create commands are idempotent: run again, they update the schedule to the options given.`;

runMain(async () => {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      currency: { type: 'string' },
      at: { type: 'string' },
      merchant: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const currency = values.currency?.trim().toUpperCase();
  if (!currency)
    throw new AppError('VALIDATION_FAILED', `--currency is required\n${USAGE}`, { field: 'currency' });
  const config = loadConfig();
  const temporal = await connectClient(temporalTargetFor(config).target);
  try {
    const scheduleId = command.endsWith('-reconciliation')
      ? dailyReconciliationScheduleId(currency)
      : dailyScheduleId(currency);
    switch (command) {
      case 'create-daily-settlement': {
        if (!values.at)
          throw new AppError('VALIDATION_FAILED', `--at is required\n${USAGE}`, { field: 'at' });
        const result = await ensureDailySettlementSchedule(temporal.client, {
          currency,
          at: values.at,
          taskQueue: config.ORDERS_TASK_QUEUE,
          merchantIds: values.merchant?.length ? values.merchant : null,
        });
        process.stdout.write(
          `Schedule ${result.scheduleId} ${result.outcome}: a settlement run of ${currency} every day at ` +
            `${values.at} UTC (settling the previous UTC day) on task queue ${config.ORDERS_TASK_QUEUE}.\n`,
        );
        break;
      }
      case 'create-daily-reconciliation': {
        if (!values.at)
          throw new AppError('VALIDATION_FAILED', `--at is required\n${USAGE}`, { field: 'at' });
        const result = await ensureDailyReconciliationSchedule(temporal.client, {
          currency,
          at: values.at,
          taskQueue: config.ORDERS_TASK_QUEUE,
        });
        process.stdout.write(
          `Schedule ${result.scheduleId} ${result.outcome}: a reconciliation of ${currency} every day at ` +
            `${values.at} UTC (the previous UTC day; it books Stripe's fees of that day) on task queue ` +
            `${config.ORDERS_TASK_QUEUE}.\n`,
        );
        break;
      }
      case 'describe-daily-settlement':
      case 'describe-daily-reconciliation': {
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
