-- Settlement reads what it settles from the merchant's own lines (issue 9, the settlement
-- benchmark). Before, a run claimed one wide row per settled line (merchant, entry, component
-- and amount copied, plus an index on the run) and then took each claimed entry's breakdown
-- (gross, refunds, fees, ...) from all the entry's lines: a join over the whole journal, about
-- as long as the benchmark's raw aggregate by itself.
--
-- 1. Every merchant_payable line carries, from the moment it is posted:
--    - settlement_class: how a settlement run counts what the line owes the merchant:
--      'released' (a reserve_release entry), 'brought' (a carry-forward adjustment, business key
--      carry_forward:...), 'payout' (a payout entry) or 'other' (captures, refunds, reversals,
--      any other adjustment);
--    - breakdown_*: for class 'other', on the first merchant_payable line of its account in the
--      entry (one per entry, merchant and currency), the entry's lines in that currency summed
--      into the report's components: processor clearing debits are gross, its credits refunds,
--      platform fee revenue fees, duties and tax payables duties/taxes, carrier payables and FX
--      clearing the carrier, merchant reserve the reserve held (each the negative of the sum,
--      gross excepted). NULL on every other line.
--    The posting code computes them (src/domain/settlement/breakdown.ts); the database checks
--    them at commit, beside the entry's balance, from the function below (a deferred constraint
--    trigger on merchant_payable lines; CHECKs keep every other line bare), so a writer that
--    leaves them out or gets them wrong is refused.
-- 2. settlement_items keeps only what the claim needs: the line (primary key: a line is settled
--    at most once) and its run. What the dropped columns held is on the line and its account.
--    The index on run_id goes too (about a sixth of the claim's cost): nothing reads claims by
--    run any more: the run's report is settlement_payouts, and lines_settled is counted as lines
--    are claimed.

ALTER TABLE "journal_lines"
    ADD COLUMN "settlement_class" VARCHAR(10),
    ADD COLUMN "breakdown_gross" BIGINT,
    ADD COLUMN "breakdown_refunds" BIGINT,
    ADD COLUMN "breakdown_fees" BIGINT,
    ADD COLUMN "breakdown_duties_taxes" BIGINT,
    ADD COLUMN "breakdown_carrier" BIGINT,
    ADD COLUMN "breakdown_reserve_held" BIGINT;

-- What an entry's lines must carry (one row per line of the entry).
CREATE FUNCTION "ledger_settlement_breakdown"(checked_entry_id UUID)
RETURNS TABLE (
    line_id BIGINT,
    settlement_class VARCHAR(10),
    gross BIGINT,
    refunds BIGINT,
    fees BIGINT,
    duties_taxes BIGINT,
    carrier BIGINT,
    reserve_held BIGINT
) LANGUAGE sql STABLE AS $$
    WITH e AS (
        SELECT "kind", "business_key" FROM "journal_entries" WHERE "id" = checked_entry_id
    ), l AS (
        SELECT "id", "line_no", "account_code", "currency", "amount", split_part("account_code", ':', 1) AS kind,
               "line_no" = min("line_no") OVER (PARTITION BY "account_code") AS first_of_account
          FROM "journal_lines" WHERE "entry_id" = checked_entry_id
    ), sums AS (
        SELECT "currency",
               COALESCE(sum("amount") FILTER (WHERE kind = 'processor_clearing' AND "amount" > 0), 0)::bigint AS gross,
               COALESCE(-sum("amount") FILTER (WHERE kind = 'processor_clearing' AND "amount" < 0), 0)::bigint AS refunds,
               COALESCE(-sum("amount") FILTER (WHERE kind = 'platform_fee_revenue'), 0)::bigint AS fees,
               COALESCE(-sum("amount") FILTER (WHERE kind IN ('duties_payable', 'tax_payable')), 0)::bigint AS duties_taxes,
               COALESCE(-sum("amount") FILTER (WHERE kind IN ('carrier_payable', 'fx_clearing')), 0)::bigint AS carrier,
               COALESCE(-sum("amount") FILTER (WHERE kind = 'merchant_reserve'), 0)::bigint AS reserve_held
          FROM l GROUP BY "currency"
    ), classed AS (
        SELECT l.*,
               CASE WHEN l.kind <> 'merchant_payable' THEN NULL
                    WHEN e."kind" = 'reserve_release' THEN 'released'
                    WHEN e."kind" = 'adjustment' AND starts_with(e."business_key", 'carry_forward:') THEN 'brought'
                    WHEN e."kind" = 'payout' THEN 'payout'
                    ELSE 'other' END AS cls
          FROM l CROSS JOIN e
    )
    SELECT c."id", c.cls::varchar(10),
           s.gross, s.refunds, s.fees, s.duties_taxes, s.carrier, s.reserve_held
      FROM classed c
      LEFT JOIN sums s ON s."currency" = c."currency" AND c.cls = 'other' AND c.first_of_account
$$;

-- Lines posted before this migration get theirs now (the immutability trigger is set aside for
-- this one statement; nothing else changes).
ALTER TABLE "journal_lines" DISABLE TRIGGER "journal_lines_immutable";
UPDATE "journal_lines" j
   SET "settlement_class" = b.settlement_class,
       "breakdown_gross" = b.gross,
       "breakdown_refunds" = b.refunds,
       "breakdown_fees" = b.fees,
       "breakdown_duties_taxes" = b.duties_taxes,
       "breakdown_carrier" = b.carrier,
       "breakdown_reserve_held" = b.reserve_held
  FROM (SELECT b.* FROM (SELECT DISTINCT "entry_id" FROM "journal_lines" WHERE "account_code" LIKE 'merchant_payable:%') p
                  CROSS JOIN LATERAL "ledger_settlement_breakdown"(p."entry_id") b) b
 WHERE j."id" = b.line_id AND b.settlement_class IS NOT NULL;
ALTER TABLE "journal_lines" ENABLE TRIGGER "journal_lines_immutable";

ALTER TABLE "journal_lines"
    ADD CONSTRAINT "journal_lines_settlement_class_check" CHECK (
        ("settlement_class" IS NOT NULL) = starts_with("account_code", 'merchant_payable:')
        AND "settlement_class" IN ('other', 'released', 'brought', 'payout')
    ),
    ADD CONSTRAINT "journal_lines_breakdown_check" CHECK (
        ("breakdown_gross" IS NULL AND "breakdown_refunds" IS NULL AND "breakdown_fees" IS NULL
         AND "breakdown_duties_taxes" IS NULL AND "breakdown_carrier" IS NULL AND "breakdown_reserve_held" IS NULL)
        OR ("settlement_class" = 'other' AND "breakdown_gross" IS NOT NULL AND "breakdown_refunds" IS NOT NULL
            AND "breakdown_fees" IS NOT NULL AND "breakdown_duties_taxes" IS NOT NULL
            AND "breakdown_carrier" IS NOT NULL AND "breakdown_reserve_held" IS NOT NULL)
    );

-- At COMMIT, when every line of the entry is in: a merchant's payable line carries what
-- ledger_settlement_breakdown says (lines of other kinds carry nothing: the CHECKs above).
CREATE FUNCTION "ledger_check_settlement_breakdown"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM "ledger_settlement_breakdown"(NEW."entry_id") b
         WHERE b.line_id = NEW."id"
           AND (NEW."settlement_class", NEW."breakdown_gross", NEW."breakdown_refunds", NEW."breakdown_fees",
                NEW."breakdown_duties_taxes", NEW."breakdown_carrier", NEW."breakdown_reserve_held")
               IS DISTINCT FROM
               (b.settlement_class, b.gross, b.refunds, b.fees, b.duties_taxes, b.carrier, b.reserve_held)
    ) THEN
        RAISE EXCEPTION 'ledger: journal line % of entry % does not carry its settlement class and breakdown (ledger_settlement_breakdown)',
            NEW."id", NEW."entry_id"
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_lines_settlement_breakdown';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER "journal_lines_settlement_breakdown" AFTER INSERT ON "journal_lines"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (starts_with(NEW."account_code", 'merchant_payable:'))
    EXECUTE FUNCTION "ledger_check_settlement_breakdown"();

-- settlement_items: the line and its run, nothing else.
DROP INDEX "settlement_items_run_id_idx";
ALTER TABLE "settlement_items"
    DROP COLUMN "merchant_id",
    DROP COLUMN "entry_id",
    DROP COLUMN "component",
    DROP COLUMN "amount";
