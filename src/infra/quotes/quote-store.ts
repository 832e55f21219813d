import { randomBytes } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import type { Incoterm } from '../../domain/landed-cost';
import { money, toSafeAmount } from '../../domain/money';
import type {
  MerchantDirectory,
  QuoteBreakdown,
  QuoteDraft,
  QuoteRepository,
  QuoteRequest,
  StoredQuote,
} from '../../domain/quotes';
import type { ScreeningDecision } from '../../domain/compliance';
import type { Database } from '../database';

/** `qt_` + 96 random bits in hex: unguessable, so a quote id is safe to hand to a browser. */
export function newQuoteId(): string {
  return `qt_${randomBytes(12).toString('hex')}`;
}

export const QUOTE_ID_PATTERN = '^qt_[0-9a-f]{24}$';

type QuoteRow = Prisma.QuoteGetPayload<object>;

function toStored(row: QuoteRow): StoredQuote {
  return {
    id: row.id,
    merchantId: row.merchantId,
    currency: row.currency,
    incoterm: row.incoterm as Incoterm,
    shipFromCountry: row.shipFromCountry,
    shipToCountry: row.shipToCountry,
    chargeNow: money(toSafeAmount(row.chargeNowAmount), row.currency),
    dueOnDelivery: money(toSafeAmount(row.dueOnDeliveryAmount), row.currency),
    screeningDecision: row.screeningDecision as ScreeningDecision,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    request: row.request as unknown as QuoteRequest,
    breakdown: row.breakdown as unknown as QuoteBreakdown,
    lockStatus: row.status as StoredQuote['lockStatus'],
    consumedByOrderId: row.consumedByOrderId,
    consumedAt: row.consumedAt,
  };
}

/** Quotes in PostgreSQL (table `quotes`): one INSERT per quote, read by id. */
export class PrismaQuoteStore implements QuoteRepository, MerchantDirectory {
  constructor(private readonly db: Database) {}

  async create(draft: QuoteDraft): Promise<StoredQuote> {
    const row = await this.db.quote.create({
      data: {
        id: newQuoteId(),
        merchantId: draft.merchantId,
        currency: draft.currency,
        incoterm: draft.incoterm,
        shipFromCountry: draft.shipFromCountry,
        shipToCountry: draft.shipToCountry,
        chargeNowAmount: BigInt(draft.chargeNow.amount),
        dueOnDeliveryAmount: BigInt(draft.dueOnDelivery.amount),
        screeningDecision: draft.screeningDecision,
        request: draft.request as unknown as Prisma.InputJsonObject,
        breakdown: draft.breakdown as unknown as Prisma.InputJsonObject,
        createdAt: draft.createdAt,
        expiresAt: draft.expiresAt,
      },
    });
    return toStored(row);
  }

  async find(id: string): Promise<StoredQuote | null> {
    const row = await this.db.quote.findUnique({ where: { id } });
    return row === null ? null : toStored(row);
  }

  async exists(merchantId: string): Promise<boolean> {
    const row = await this.db.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
    return row !== null;
  }
}
