import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import type { Incoterm } from '../../domain/landed-cost';
import { money, toSafeAmount } from '../../domain/money';
import type {
  MerchantDirectory,
  QuoteBreakdown,
  QuoteDraft,
  QuoteForOrder,
  QuoteRepository,
  QuoteRequest,
  StoredQuote,
} from '../../domain/quotes';
import type { ScreeningDecision } from '../../domain/compliance';
import { sqlOf, type Database } from '../database';

/** `qt_` + 96 random bits in hex: unguessable, so a quote id is safe to hand to a browser. */
export function newQuoteId(): string {
  return `qt_${randomBytes(12).toString('hex')}`;
}

/**
 * The id of the quote an Idempotency-Key of POST /v1/quotes issues: derived from the key and who
 * sent it (the API key's id), so a repeat finds the quote it issued, and two callers' keys never
 * meet.
 */
export function quoteIdForKey(callerId: string, key: string): string {
  return `qt_${createHash('sha256').update(`POST /v1/quotes\n${callerId}\n${key}`).digest('hex').slice(0, 24)}`;
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

/**
 * The columns a quote is read with, named as `QuoteRow`'s fields; amounts as text (bigint).
 * `json`: what is read of the two JSON columns (both, whole, by default).
 */
const quoteColumns = (json = 'request, breakdown') => `id, merchant_id AS "merchantId", currency, incoterm,
       ship_from_country AS "shipFromCountry", ship_to_country AS "shipToCountry",
       charge_now_amount::text AS "chargeNowAmount", due_on_delivery_amount::text AS "dueOnDeliveryAmount",
       screening_decision AS "screeningDecision", ${json}, status,
       consumed_by_order_id AS "consumedByOrderId", consumed_at AS "consumedAt",
       created_at AS "createdAt", expires_at AS "expiresAt"`;

type PgQuoteRow = Omit<QuoteRow, 'chargeNowAmount' | 'dueOnDeliveryAmount'> & {
  chargeNowAmount: string;
  dueOnDeliveryAmount: string;
};

function fromPg(row: PgQuoteRow): StoredQuote {
  return toStored({
    ...row,
    chargeNowAmount: BigInt(row.chargeNowAmount),
    dueOnDeliveryAmount: BigInt(row.dueOnDeliveryAmount),
  });
}

/**
 * Quotes in PostgreSQL (table `quotes`): one INSERT per quote, read by id. Straight through pg
 * (sqlOf), as named statements: a quote is asked for at every checkout, and Prisma's create spent
 * about 3.5 ms of CPU building the query of the two JSON values (request and breakdown), most of
 * what a quote cost (bench/README.md); its findUnique spent about 0.6 ms more than pg on a read.
 */
export class PgQuoteStore implements QuoteRepository, MerchantDirectory {
  constructor(private readonly db: Database) {}

  /** Stores the quote under `id` (nothing, answering null, if that id exists) or a new id. */
  async create(draft: QuoteDraft, id?: string): Promise<StoredQuote | null> {
    const { rows } = await sqlOf(this.db).query<PgQuoteRow>({
      name: 'borderline.quote-insert',
      text: `
        INSERT INTO quotes (id, merchant_id, currency, incoterm, ship_from_country, ship_to_country,
                            charge_now_amount, due_on_delivery_amount, screening_decision, request, breakdown,
                            created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7::bigint, $8::bigint, $9, $10::jsonb, $11::jsonb, $12, $13)
        ON CONFLICT (id) DO NOTHING
        RETURNING ${quoteColumns()}`,
      values: [
        id ?? newQuoteId(),
        draft.merchantId,
        draft.currency,
        draft.incoterm,
        draft.shipFromCountry,
        draft.shipToCountry,
        String(draft.chargeNow.amount),
        String(draft.dueOnDelivery.amount),
        draft.screeningDecision,
        JSON.stringify(draft.request),
        JSON.stringify(draft.breakdown),
        draft.createdAt,
        draft.expiresAt,
      ],
    });
    const row = rows[0];
    return row === undefined ? null : fromPg(row);
  }

  /** One quote by id. */
  async find(id: string): Promise<StoredQuote | null> {
    const { rows } = await sqlOf(this.db).query<PgQuoteRow>({
      name: 'borderline.quote-by-id',
      text: `SELECT ${quoteColumns()} FROM quotes WHERE id = $1`,
      values: [id],
    });
    const row = rows[0];
    return row === undefined ? null : fromPg(row);
  }

  /**
   * One quote by id as placing an order needs it: on the path of every new order, before its
   * workflow starts. The request and most of the breakdown (a few KiB of JSON) are left in the
   * database.
   */
  async findForOrder(id: string): Promise<QuoteForOrder | null> {
    const { rows } = await sqlOf(this.db).query<PgQuoteRow>({
      name: 'borderline.quote-for-order',
      text: `
        SELECT ${quoteColumns(
          `NULL AS request, jsonb_build_object('totals', breakdown->'totals', 'screening', breakdown->'screening') AS breakdown`,
        )}
          FROM quotes
         WHERE id = $1`,
      values: [id],
    });
    const row = rows[0];
    if (row === undefined) return null;
    const { request: _request, ...quote } = fromPg(row);
    return quote;
  }

  async exists(merchantId: string): Promise<boolean> {
    const { rowCount } = await sqlOf(this.db).query({
      name: 'borderline.merchant-exists',
      text: 'SELECT 1 FROM merchants WHERE id = $1',
      values: [merchantId],
    });
    return rowCount === 1;
  }
}
