/** The worked example of src/domain/ledger/README.md, shared by the ledger and settlement tests. */
import type { OrderCaptureInput } from '../../src/domain/ledger';
import { money } from '../../src/domain/money';

const eur = (amount: number) => money(amount, 'EUR');

/**
 * Order ord_1001 of mer_de_toys captured for EUR 127.95 (goods 95.00, shipping 10.00, duties
 * 3.00, VAT 19.95; carrier 8.40; fee 2.9 % + 0.30; reserve 10 % for 90 days), on 2026-11-25.
 */
export function workedExampleCapture(
  overrides: { orderId?: string; merchantId?: string; occurredAt?: string; reserveDays?: number } = {},
): OrderCaptureInput {
  return {
    orderId: overrides.orderId ?? 'ord_1001',
    merchantId: overrides.merchantId ?? 'mer_de_toys',
    destinationCountry: 'DE',
    captured: eur(12795),
    breakdown: {
      goods: eur(9500),
      shipping: eur(1000),
      duties: eur(300),
      taxes: eur(1995),
      customsFees: eur(0),
    },
    carrier: { carrierId: 'sample-express', cost: eur(840) },
    feeTerms: {
      platformFeeBps: 290,
      platformFeeFixed: eur(30),
      reserveBps: 1000,
      reserveDays: overrides.reserveDays ?? 90,
    },
    occurredAt: overrides.occurredAt ?? '2026-11-25T10:00:00.000Z',
  };
}
