import type { Totals } from '../landed-cost/types';
import type { OrderAmounts } from './types';

/** An order's amounts as quoted: what it charges now and what that is made of (nothing paid yet). */
export function quotedAmounts(currency: string, totals: Totals): OrderAmounts {
  return {
    currency,
    charge: totals.chargeNow,
    goods: totals.goods,
    shipping: totals.shipping,
    duties: totals.duties,
    taxes: totals.taxes,
    fees: totals.fees,
    dueOnDelivery: totals.dueOnDelivery,
  };
}
