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
/** A quote row as pg reads it: amounts as text (bigint). */
type PgQuoteRow = Omit<QuoteRow, 'chargeNowAmount' | 'dueOnDeliveryAmount'> & {
  chargeNowAmount: string;
  dueOnDeliveryAmount: string;
};
type PgQuoteColumns = Omit<PgQuoteRow, 'request' | 'breakdown' | 'totals'>;

/** A quote but its request and breakdown. */
function fromColumns(row: PgQuoteColumns): Omit<StoredQuote, 'request' | 'breakdown'> {
  return {
    id: row.id,
    merchantId: row.merchantId,
    currency: row.currency,
    incoterm: row.incoterm as Incoterm,
    shipFromCountry: row.shipFromCountry,
    shipToCountry: row.shipToCountry,
    chargeNow: money(toSafeAmount(BigInt(row.chargeNowAmount)), row.currency),
    dueOnDelivery: money(toSafeAmount(BigInt(row.dueOnDeliveryAmount)), row.currency),
    screeningDecision: row.screeningDecision as ScreeningDecision,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lockStatus: row.status as StoredQuote['lockStatus'],
    consumedByOrderId: row.consumedByOrderId,
    consumedAt: row.consumedAt,
  };
}

function fromPg(row: PgQuoteRow): StoredQuote {
  return {
    ...fromColumns(row),
    request: row.request as unknown as QuoteRequest,
    breakdown: row.breakdown as unknown as QuoteBreakdown,
  };
}

/**
 * The columns a quote is read with, named as `QuoteRow`'s fields; amounts as text (bigint).
 * `json`: what is read of the JSON columns (the request and the breakdown, whole, by default).
 */
const quoteColumns = (json = 'request, breakdown') => `id, merchant_id AS "merchantId", currency, incoterm,
       ship_from_country AS "shipFromCountry", ship_to_country AS "shipToCountry",
       charge_now_amount::text AS "chargeNowAmount", due_on_delivery_amount::text AS "dueOnDeliveryAmount",
       screening_decision AS "screeningDecision", ${json}, status,
       consumed_by_order_id AS "consumedByOrderId", consumed_at AS "consumedAt",
       created_at AS "createdAt", expires_at AS "expiresAt"`;

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
                            totals, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7::bigint, $8::bigint, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14)
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
        JSON.stringify(draft.breakdown.totals),
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
   * workflow starts. The request and the breakdown (a few KiB of JSON, stored compressed out of
   * line) are left in the database: the totals come from their own column (from the breakdown for
   * quotes stored before it), and the screening result only for a quote screening blocked, whose
   * reasons the refusal names.
   */
  async findForOrder(id: string): Promise<QuoteForOrder | null> {
    const { rows } = await sqlOf(this.db).query<
      PgQuoteColumns & {
        totals: QuoteBreakdown['totals'];
        blockingScreening: QuoteBreakdown['screening'] | null;
      }
    >({
      name: 'borderline.quote-for-order',
      text: `
        SELECT ${quoteColumns(
          `COALESCE(totals, breakdown->'totals') AS totals,
           CASE WHEN screening_decision = 'BLOCK' THEN breakdown->'screening' END AS "blockingScreening"`,
        )}
          FROM quotes
         WHERE id = $1`,
      values: [id],
    });
    const row = rows[0];
    if (row === undefined) return null;
    const { totals, blockingScreening, ...columns } = row;
    return { ...fromColumns(columns), totals, blockingScreening };
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
