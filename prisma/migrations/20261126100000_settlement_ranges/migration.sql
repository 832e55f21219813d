-- A run claims each merchant account's lines as one range of line ids, not one row per line
-- (issue 9, the settlement benchmark: the row per line was most of a run's cost, and the claims
-- table grew by a row for every merchant line ever posted).
--
-- settlement_ranges: run R settled every line of the account (account_code, currency) whose id
-- is in (after_line_id, through_line_id] and that no settlement_items row names. An account's
-- ranges are contiguous from 0: each new one starts where the account's last one ended
-- (checked on insert, and the unique keys refuse two ranges starting or ending at the same
-- line), so no two ranges overlap. Rows are never updated or deleted.
--
-- settlement_items keeps the lines settled one by one: the lines a run's own entries settle as
-- they are posted (reserve release, payout, the closing line of a carry-forward), and a due line
-- that follows a line not yet due in the same account (a range stops before the first line not
-- yet due, so it never covers an unsettled line). A line is settled by its item's run if it has
-- one, else by the range covering it.
--
-- Why a range is safe: journal line ids come from one sequence (CACHE 1), but transactions
-- commit in any order, so a line with a small id can become visible after lines with larger ids.
-- A range must never end above a line that is still uncommitted, or that line would count as
-- settled without ever being paid. Every statement that inserts journal lines takes the shared
-- posting fence (an advisory lock, before any row is inserted and so before its ids are drawn)
-- and holds it to its commit; a run takes the fence exclusively for a moment in a transaction of
-- its own and reads the highest line id then: every line up to that id is committed, and every
-- line inserted later has a higher id. Its ranges end at or below that id.

ALTER SEQUENCE "journal_lines_id_seq" CACHE 1;

-- The shared posting fence, taken by every INSERT into journal_lines before its rows.
CREATE FUNCTION "journal_lines_posting_fence"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('borderline:journal-lines-posting-fence', 0));
    RETURN NULL;
END;
$$;

CREATE TRIGGER "journal_lines_posting_fence" BEFORE INSERT ON "journal_lines"
    FOR EACH STATEMENT EXECUTE FUNCTION "journal_lines_posting_fence"();

-- A merchant account's lines in id order (a run reads the lines after its account's last range).
CREATE INDEX "journal_lines_account_code_currency_id_idx" ON "journal_lines"("account_code", "currency", "id");

CREATE TABLE "settlement_ranges" (
    "account_code" VARCHAR(200) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "after_line_id" BIGINT NOT NULL,
    "through_line_id" BIGINT NOT NULL,
    "run_id" VARCHAR(64) NOT NULL,

    CONSTRAINT "settlement_ranges_pkey" PRIMARY KEY ("account_code", "currency", "through_line_id"),
    CONSTRAINT "settlement_ranges_after_key" UNIQUE ("account_code", "currency", "after_line_id"),
    CONSTRAINT "settlement_ranges_check" CHECK ("after_line_id" >= 0 AND "through_line_id" > "after_line_id"),
    CONSTRAINT "settlement_ranges_account_fkey" FOREIGN KEY ("account_code", "currency")
        REFERENCES "ledger_accounts"("code", "currency") ON DELETE RESTRICT ON UPDATE RESTRICT,
    CONSTRAINT "settlement_ranges_run_id_fkey" FOREIGN KEY ("run_id")
        REFERENCES "settlement_runs"("id") ON DELETE RESTRICT ON UPDATE RESTRICT
);

-- A new range starts where the account's last one ended (0 for its first).
CREATE FUNCTION "settlement_ranges_check_contiguous"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_through BIGINT;
BEGIN
    SELECT r."through_line_id" INTO last_through FROM "settlement_ranges" r
     WHERE r."account_code" = NEW."account_code" AND r."currency" = NEW."currency"
     ORDER BY r."through_line_id" DESC LIMIT 1;
    IF NEW."after_line_id" <> COALESCE(last_through, 0) THEN
        RAISE EXCEPTION 'settlement: a range of % (%) must start at line %, not %',
            NEW."account_code", NEW."currency", COALESCE(last_through, 0), NEW."after_line_id";
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "settlement_ranges_contiguous" BEFORE INSERT ON "settlement_ranges"
    FOR EACH ROW EXECUTE FUNCTION "settlement_ranges_check_contiguous"();

CREATE FUNCTION "settlement_ranges_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'settlement: % on settlement_ranges is refused: settled lines stay settled by their run', TG_OP;
END;
$$;

CREATE TRIGGER "settlement_ranges_immutable" BEFORE UPDATE OR DELETE ON "settlement_ranges"
    FOR EACH ROW EXECUTE FUNCTION "settlement_ranges_refuse_change"();
CREATE TRIGGER "settlement_ranges_no_truncate" BEFORE TRUNCATE ON "settlement_ranges"
    FOR EACH STATEMENT EXECUTE FUNCTION "settlement_ranges_refuse_change"();

-- A line a range already settles is never claimed again one by one.
CREATE FUNCTION "settlement_items_check_not_in_range"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    covering VARCHAR(64);
BEGIN
    SELECT r."run_id" INTO covering
      FROM "journal_lines" l
      JOIN "settlement_ranges" r ON r."account_code" = l."account_code" AND r."currency" = l."currency"
                                AND r."through_line_id" >= l."id" AND r."after_line_id" < l."id"
     WHERE l."id" = NEW."line_id";
    IF covering IS NOT NULL THEN
        RAISE EXCEPTION 'settlement: line % is already settled by run %', NEW."line_id", covering;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "settlement_items_not_in_range" BEFORE INSERT ON "settlement_items"
    FOR EACH ROW EXECUTE FUNCTION "settlement_items_check_not_in_range"();
