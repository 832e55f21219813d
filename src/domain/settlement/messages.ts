import { defineQuery } from '@temporalio/workflow';
import { ORDERS_TASK_QUEUE } from '../orders/temporal';
import type { SettlementProgress } from './types';

/**
 * The settlement workflow's messages and where it runs. Settlement shares the worker and task
 * queue of the orders context (config ORDERS_TASK_QUEUE): its activities are database work and
 * transfers, nothing that needs a worker of its own.
 */
export const SETTLEMENT_TASK_QUEUE = ORDERS_TASK_QUEUE;

/** The run's progress: phase, merchants done of total, lines settled. */
export const settlementProgressQuery = defineQuery<SettlementProgress>('settlementProgress');
