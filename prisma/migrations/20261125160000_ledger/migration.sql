-- Double-entry ledger (issue 7) and merchants' fee terms.
--
-- Sign convention: journal_lines.amount is a signed BIGINT of minor units of the line's
-- currency: a DEBIT is positive, a CREDIT is negative. An entry balances when, for each
-- currency, its lines sum to zero.
--
-- What the database itself enforces (not only the code, src/domain/ledger + src/infra/ledger):
-- - every journal entry has at least two lines and its lines sum to zero per currency, checked
--   at COMMIT by deferred constraint triggers (so the entry and its lines are inserted in one
--   transaction, in any order);
-- - lines can only be added in the transaction that inserted their entry;
-- - a line's currency is its account's currency (composite foreign key);
-- - journal_entries, journal_lines and ledger_accounts are never updated, deleted or truncated:
--   a correction is a new entry, e.g. a reversal (reverses_entry_id), which must negate the
--   entry it reverses line for line, and an entry is reversed at most once;
-- - business_key is unique: posting is idempotent by business key.
--
-- Settlement (a later issue) will add, without touching these tables:
--   settlement_items(line_id BIGINT PRIMARY KEY REFERENCES journal_lines(id), run_id ..., ...)
-- so each line is settled at most once (the primary key), found set-based with
--   journal_lines_account_code_currency_occurred_at_idx and an anti-join on settlement_items.

-- Merchants' fee terms (see src/domain/ledger/README.md).
ALTER TABLE "merchants" ADD COLUMN "platform_fee_bps" INTEGER NOT NULL DEFAULT 290,
ADD COLUMN "platform_fee_fixed" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN "reserve_bps" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "reserve_days" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "merchants" ADD CONSTRAINT "merchants_platform_fee_bps_check" CHECK ("platform_fee_bps" BETWEEN 0 AND 10000),
ADD CONSTRAINT "merchants_platform_fee_fixed_check" CHECK ("platform_fee_fixed" >= 0),
ADD CONSTRAINT "merchants_reserve_bps_check" CHECK ("reserve_bps" BETWEEN 0 AND 10000),
ADD CONSTRAINT "merchants_reserve_days_check" CHECK ("reserve_days" BETWEEN 0 AND 365);

-- CreateEnum
CREATE TYPE "ledger_account_type" AS ENUM ('asset', 'liability', 'revenue', 'expense');

-- CreateEnum
CREATE TYPE "ledger_normal_balance" AS ENUM ('debit', 'credit');

-- CreateTable
CREATE TABLE "ledger_accounts" (
    "code" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "type" "ledger_account_type" NOT NULL,
    "normal_balance" "ledger_normal_balance" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "party" VARCHAR(64),
    "merchant_id" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("code"),
    CONSTRAINT "ledger_accounts_code_check" CHECK ("code" ~ '^[a-z][a-z_]*(:[A-Za-z0-9_.-]+)?:[A-Z]{3}$'),
    CONSTRAINT "ledger_accounts_kind_check" CHECK (split_part("code", ':', 1) = "kind"),
    CONSTRAINT "ledger_accounts_currency_check" CHECK (right("code", 3) = "currency"),
    CONSTRAINT "ledger_accounts_party_check" CHECK (
        ("party" IS NULL AND "code" = "kind" || ':' || "currency")
        OR ("party" IS NOT NULL AND "code" = "kind" || ':' || "party" || ':' || "currency")
    ),
    CONSTRAINT "ledger_accounts_merchant_check" CHECK ("merchant_id" IS NULL OR "merchant_id" = "party"),
    CONSTRAINT "ledger_accounts_normal_balance_check" CHECK (
        ("type" IN ('asset', 'expense')) = ("normal_balance" = 'debit')
    )
);

-- CreateTable
CREATE TABLE "journal_entries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_key" VARCHAR(255) NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "order_id" VARCHAR(64),
    "merchant_id" VARCHAR(64),
    "description" VARCHAR(500) NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reverses_entry_id" UUID,

    CONSTRAINT "journal_entries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "journal_entries_business_key_check" CHECK ("business_key" ~ '^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*$'),
    CONSTRAINT "journal_entries_kind_check" CHECK ("kind" IN (
        'capture', 'refund', 'fee', 'payout', 'reversal', 'adjustment',
        'reserve_release', 'fx_conversion', 'processor_fee', 'remittance'
    )),
    CONSTRAINT "journal_entries_reversal_check" CHECK (("kind" = 'reversal') = ("reverses_entry_id" IS NOT NULL)),
    CONSTRAINT "journal_entries_reverses_self_check" CHECK ("reverses_entry_id" IS DISTINCT FROM "id")
);

-- CreateTable
CREATE TABLE "journal_lines" (
    "id" BIGSERIAL NOT NULL,
    "entry_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "account_code" VARCHAR(200) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount" BIGINT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "journal_lines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "journal_lines_amount_check" CHECK ("amount" <> 0),
    CONSTRAINT "journal_lines_line_no_check" CHECK ("line_no" > 0)
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_code_currency_key" ON "ledger_accounts"("code", "currency");

-- CreateIndex
CREATE INDEX "ledger_accounts_merchant_id_idx" ON "ledger_accounts"("merchant_id");

-- CreateIndex
CREATE INDEX "ledger_accounts_kind_currency_idx" ON "ledger_accounts"("kind", "currency");

-- CreateIndex
CREATE UNIQUE INDEX "journal_entries_business_key_key" ON "journal_entries"("business_key");

-- CreateIndex
CREATE UNIQUE INDEX "journal_entries_reverses_entry_id_key" ON "journal_entries"("reverses_entry_id");

-- CreateIndex
CREATE INDEX "journal_entries_order_id_idx" ON "journal_entries"("order_id");

-- CreateIndex
CREATE INDEX "journal_entries_merchant_id_occurred_at_idx" ON "journal_entries"("merchant_id", "occurred_at");

-- CreateIndex
CREATE INDEX "journal_entries_occurred_at_idx" ON "journal_entries"("occurred_at");

-- CreateIndex
CREATE INDEX "journal_entries_created_at_idx" ON "journal_entries"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "journal_lines_entry_id_line_no_key" ON "journal_lines"("entry_id", "line_no");

-- CreateIndex
CREATE INDEX "journal_lines_account_code_currency_occurred_at_idx" ON "journal_lines"("account_code", "currency", "occurred_at");

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_reverses_entry_id_fkey" FOREIGN KEY ("reverses_entry_id") REFERENCES "journal_entries"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "journal_entries"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_account_code_currency_fkey" FOREIGN KEY ("account_code", "currency") REFERENCES "ledger_accounts"("code", "currency") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Immutability: no UPDATE, DELETE or TRUNCATE of the ledger, ever. (SQLSTATE P0001, raise_exception:
-- Prisma shows its message as it is; it would report restrict_violation as a foreign key error.)
CREATE FUNCTION "ledger_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger: % on % is refused: the ledger is append-only (post a reversing entry instead)',
        TG_OP, TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER "journal_entries_immutable" BEFORE UPDATE OR DELETE ON "journal_entries"
    FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"();
CREATE TRIGGER "journal_entries_no_truncate" BEFORE TRUNCATE ON "journal_entries"
    FOR EACH STATEMENT EXECUTE FUNCTION "ledger_refuse_change"();
CREATE TRIGGER "journal_lines_immutable" BEFORE UPDATE OR DELETE ON "journal_lines"
    FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"();
CREATE TRIGGER "journal_lines_no_truncate" BEFORE TRUNCATE ON "journal_lines"
    FOR EACH STATEMENT EXECUTE FUNCTION "ledger_refuse_change"();
CREATE TRIGGER "ledger_accounts_immutable" BEFORE UPDATE OR DELETE ON "ledger_accounts"
    FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"();
CREATE TRIGGER "ledger_accounts_no_truncate" BEFORE TRUNCATE ON "ledger_accounts"
    FOR EACH STATEMENT EXECUTE FUNCTION "ledger_refuse_change"();

-- An entry remembers, for the rest of its transaction (a transaction-local setting, undone with
-- a rolled-back savepoint), that lines may be added to it.
CREATE FUNCTION "ledger_entry_opened"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config(
        'borderline.ledger_open_entries',
        coalesce(current_setting('borderline.ledger_open_entries', true), '') || NEW."id"::text || ',',
        true
    );
    RETURN NULL;
END;
$$;

CREATE TRIGGER "journal_entries_opened" AFTER INSERT ON "journal_entries"
    FOR EACH ROW EXECUTE FUNCTION "ledger_entry_opened"();

-- A line is added only in its entry's transaction, and takes its entry's occurred_at.
CREATE FUNCTION "ledger_line_before_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_occurred_at TIMESTAMPTZ(3);
BEGIN
    IF position(NEW."entry_id"::text || ',' IN coalesce(current_setting('borderline.ledger_open_entries', true), '')) = 0 THEN
        RAISE EXCEPTION 'ledger: lines can only be added to journal entry % in the transaction that created it', NEW."entry_id";
    END IF;
    SELECT "occurred_at" INTO entry_occurred_at FROM "journal_entries" WHERE "id" = NEW."entry_id";
    NEW."occurred_at" := entry_occurred_at;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "journal_lines_before_insert" BEFORE INSERT ON "journal_lines"
    FOR EACH ROW EXECUTE FUNCTION "ledger_line_before_insert"();

-- At COMMIT: at least two lines, zero per currency, and a reversal negates what it reverses.
CREATE FUNCTION "ledger_assert_entry_balanced"(checked_entry_id UUID) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    line_count INTEGER;
    unbalanced_currency CHAR(3);
    unbalanced_sum NUMERIC;
    reversed_id UUID;
BEGIN
    SELECT count(*) INTO line_count FROM "journal_lines" WHERE "entry_id" = checked_entry_id;
    IF line_count < 2 THEN
        RAISE EXCEPTION 'ledger: journal entry % has % line(s); an entry needs at least two', checked_entry_id, line_count
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entries_balanced';
    END IF;

    SELECT "currency", sum("amount") INTO unbalanced_currency, unbalanced_sum
      FROM "journal_lines" WHERE "entry_id" = checked_entry_id
     GROUP BY "currency" HAVING sum("amount") <> 0
     ORDER BY "currency" LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger: journal entry % does not balance: its % lines sum to % (debits must equal credits per currency)',
            checked_entry_id, unbalanced_currency, unbalanced_sum
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entries_balanced';
    END IF;

    SELECT "reverses_entry_id" INTO reversed_id FROM "journal_entries" WHERE "id" = checked_entry_id;
    IF reversed_id IS NOT NULL AND EXISTS (
        (SELECT "account_code", "currency", -"amount" FROM "journal_lines" WHERE "entry_id" = reversed_id
         EXCEPT ALL
         SELECT "account_code", "currency", "amount" FROM "journal_lines" WHERE "entry_id" = checked_entry_id)
        UNION ALL
        (SELECT "account_code", "currency", "amount" FROM "journal_lines" WHERE "entry_id" = checked_entry_id
         EXCEPT ALL
         SELECT "account_code", "currency", -"amount" FROM "journal_lines" WHERE "entry_id" = reversed_id)
    ) THEN
        RAISE EXCEPTION 'ledger: journal entry % does not exactly negate the entry % it reverses', checked_entry_id, reversed_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entries_reversal_exact';
    END IF;
END;
$$;

CREATE FUNCTION "ledger_check_entry"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'journal_entries' THEN
        PERFORM "ledger_assert_entry_balanced"(NEW."id");
    ELSE
        PERFORM "ledger_assert_entry_balanced"(NEW."entry_id");
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER "journal_entries_balanced" AFTER INSERT ON "journal_entries"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_check_entry"();
CREATE CONSTRAINT TRIGGER "journal_lines_balanced" AFTER INSERT ON "journal_lines"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_check_entry"();
