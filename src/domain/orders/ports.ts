import type { TransportMode } from '../compliance';
import type { DeclarationLine } from '../customs/port';
import type { Money } from '../money/types';
import type { OrderAmounts, OrderLabelView } from './types';

/**
 * Posting an order's money to the ledger (src/infra/ledger). The capture posting answers with
 * the capture as the ledger saw it (`capture`, opaque JSON the workflow keeps), so that every
 * refund of the order is split the same way whatever changes later (e.g. the merchant's fees).
 */
export interface OrderLedger {
  postOrderCapture(input: OrderLedgerInput): Promise<{ entryId: string; capture: LedgerCapture }>;
  postOrderRefund(input: OrderRefundPosting): Promise<{ entryId: string }>;
}

/** The capture as posted (the ledger's OrderCaptureInput), kept by the workflow as is. */
export type LedgerCapture = Record<string, unknown>;

export interface OrderRefundPosting {
  capture: LedgerCapture;
  /** Our refund id; the entry's business key is `refund:<refundId>`. */
  refundId: string;
  amount: Money;
  occurredAt: string;
}

export interface OrderLedgerInput {
  orderId: string;
  merchantId: string;
  quote: LockedQuote;
  captured: Money;
  label: OrderLabelView;
  occurredAt: string;
}

/** The part of a quote the saga works from, fixed when the order locks it. */
export interface LockedQuote {
  quoteId: string;
  currency: string;
  incoterm: 'DDP' | 'DAP';
  shipFrom: { country: string; region?: string; postalCode?: string };
  shipTo: { country: string; region?: string; postalCode?: string };
  amounts: OrderAmounts;
  /** Duties and taxes collected at checkout (DDP), zero otherwise: declared to customs. */
  dutiesAndTaxesCollected: Money;
  /** What the charge collects for the authorities (DDP), each zero when due on delivery. */
  collected: { duties: Money; taxes: Money; fees: Money };
  lines: DeclarationLine[];
  parcel: { weightGrams: number; lengthCm?: number; widthCm?: number; heightCm?: number };
  shipping: { carrier: string; serviceId: string; level: string; transportMode: TransportMode; price: Money };
  merchant: { id: string; name: string; country: string };
}
