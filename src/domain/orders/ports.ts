import type { TransportMode } from '../compliance';
import type { DeclarationLine } from '../customs/port';
import type { Money } from '../money/types';
import type { OrderAmounts, OrderLabelView } from './types';

/** Posting an order's captured amounts to the ledger (src/infra/ledger). */
export interface OrderLedger {
  postOrderCapture(input: OrderLedgerInput): Promise<{ entryId: string }>;
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
