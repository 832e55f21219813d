import { AppError } from '../../errors';
import { compare } from '../money';
import type { ChooseServiceInput, ServiceChoice, ServiceOption } from './types';

const byId = (a: ServiceOption, b: ServiceOption): number =>
  a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0;
const byPrice = (a: ServiceOption, b: ServiceOption): number => a.price.amount - b.price.amount;
const byLatest = (a: ServiceOption, b: ServiceOption): number =>
  a.latestDelivery < b.latestDelivery ? -1 : a.latestDelivery > b.latestDelivery ? 1 : 0;
const byEarliest = (a: ServiceOption, b: ServiceOption): number =>
  a.earliestDelivery < b.earliestDelivery ? -1 : a.earliestDelivery > b.earliestDelivery ? 1 : 0;

function chain(...cmps: ((a: ServiceOption, b: ServiceOption) => number)[]) {
  return (a: ServiceOption, b: ServiceOption): number => {
    for (const c of cmps) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
}

/**
 * Picks a service, deterministically:
 * - CHEAPEST_MEETING_PROMISE: among services whose latest delivery date is on or before
 *   `deliverBy`, the cheapest; ties → earlier latest delivery → service id.
 * - FASTEST_WITHIN_CAP: among services priced at or under the cap, the one with the earliest latest
 *   delivery; ties → earlier earliest delivery → cheaper → service id.
 * With `requireDdp`, services that cannot deliver duties paid are left out. Returns null when no
 * service qualifies, with the reason for each rejection.
 */
export function chooseShippingService(input: ChooseServiceInput): ServiceChoice {
  const rejected: { serviceId: string; reason: string }[] = [];
  const currencies = new Set(input.options.map((o) => o.price.currency));
  if (currencies.size > 1) {
    throw new AppError('VALIDATION_FAILED', 'options must be priced in one currency', { field: 'options' });
  }
  const { strategy } = input;
  if (strategy.kind === 'CHEAPEST_MEETING_PROMISE') {
    if (!(strategy.deliverBy instanceof Date) || Number.isNaN(strategy.deliverBy.getTime())) {
      throw new AppError('VALIDATION_FAILED', 'deliverBy must be a valid Date', {
        field: 'strategy.deliverBy',
      });
    }
  }
  const deliverBy =
    strategy.kind === 'CHEAPEST_MEETING_PROMISE' ? strategy.deliverBy.toISOString().slice(0, 10) : '';

  const eligible = input.options.filter((o) => {
    if (input.requireDdp === true && !o.ddpSupported) {
      rejected.push({ serviceId: o.serviceId, reason: 'DDP_NOT_SUPPORTED' });
      return false;
    }
    if (strategy.kind === 'CHEAPEST_MEETING_PROMISE' && o.latestDelivery > deliverBy) {
      rejected.push({
        serviceId: o.serviceId,
        reason: `LATE: latest delivery ${o.latestDelivery} after ${deliverBy}`,
      });
      return false;
    }
    if (strategy.kind === 'FASTEST_WITHIN_CAP' && compare(o.price, strategy.priceCap) > 0) {
      rejected.push({ serviceId: o.serviceId, reason: 'OVER_PRICE_CAP' });
      return false;
    }
    return true;
  });

  const order =
    strategy.kind === 'CHEAPEST_MEETING_PROMISE'
      ? chain(byPrice, byLatest, byId)
      : chain(byLatest, byEarliest, byPrice, byId);
  const [chosen, ...others] = [...eligible].sort(order);
  for (const o of others) {
    rejected.push({
      serviceId: o.serviceId,
      reason: strategy.kind === 'CHEAPEST_MEETING_PROMISE' ? 'NOT_CHEAPEST' : 'NOT_FASTEST',
    });
  }
  return { chosen: chosen ?? null, rejected };
}
