import type {
  LedgerCapture,
  OrderLedger,
  OrderLedgerInput,
  OrderRefundPosting,
} from '../../domain/orders/ports';
import { orderCaptureEntry, type OrderCaptureInput } from '../../domain/ledger';
import type { Database } from '../database';
import { LedgerStore } from './ledger-store';

/**
 * Posts a captured order to the ledger: the merchant's fee terms from `merchants`, the entry
 * built by the pure `orderCaptureEntry`, posted once under `order:<orderId>:capture`.
 */
export class PgOrderLedger implements OrderLedger {
  private readonly store: LedgerStore;

  constructor(db: Database) {
    this.store = new LedgerStore(db);
  }

  async postOrderCapture(input: OrderLedgerInput): Promise<{ entryId: string; capture: LedgerCapture }> {
    const feeTerms = await this.store.merchantFeeTerms(input.merchantId);
    const { quote, label } = input;
    const capture: OrderCaptureInput = {
      orderId: input.orderId,
      merchantId: input.merchantId,
      destinationCountry: quote.shipTo.country,
      captured: input.captured,
      breakdown: {
        goods: quote.amounts.goods,
        shipping: quote.amounts.shipping,
        duties: quote.collected.duties,
        taxes: quote.collected.taxes,
        customsFees: quote.collected.fees,
      },
      carrier: {
        carrierId: carrierId(label.carrier),
        cost: label.cost,
        // The quote priced the service in the order currency from the same carrier price.
        ...(label.cost.currency !== quote.currency ? { costInOrderCurrency: quote.shipping.price } : {}),
      },
      feeTerms,
      occurredAt: input.occurredAt,
      description: `Order ${input.orderId} captured`,
    };
    const posted = await this.store.post(orderCaptureEntry(capture));
    return { entryId: posted.id, capture: capture as unknown as LedgerCapture };
  }

  /** Posts a refund of the order: the capture's parts are taken back pro rata (ledger README). */
  async postOrderRefund(input: OrderRefundPosting): Promise<{ entryId: string }> {
    const posted = await this.store.postOrderRefund({
      refundId: input.refundId,
      capture: input.capture as unknown as OrderCaptureInput,
      amount: input.amount,
      occurredAt: input.occurredAt,
      description: `Refund ${input.refundId}`,
    });
    return { entryId: posted.id };
  }
}

/** The carrier as a ledger account party: `Sample Express` → `sample-express`. */
export function carrierId(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return id || 'carrier';
}
