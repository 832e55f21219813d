-- Settlement runs (issue 7, parts 3 and 4): merchants are paid what the ledger says they are
-- owed, and every merchant ledger line is settled exactly once.
--
-- - settlement_runs: one row per run (id = the run id; its workflow is `settlement-<runId>`),
--   written by the run's first activity; `prepared_at` marks the claim-and-aggregate step done.
-- - settlement_items: the claim. One row per journal line a run settles; the PRIMARY KEY on
--   line_id is what makes a line settled at most once, whatever runs overlap or retry: lines
--   are claimed with INSERT ... SELECT ... ON CONFLICT (line_id) DO NOTHING. Claims are never
--   updated or deleted (triggers refuse it). merchant_id, entry_id and amount are copied from
--   the line (and its account) so the per-merchant aggregate reads this table alone. run_id has
--   no foreign key, on purpose: a run claims hundreds of thousands of lines in one statement and
--   a per-row check of the run (always the row its own transaction read) doubled the claim's
--   cost in the benchmark; runs are written before their claims and never deleted (trigger).
-- - settlement_payouts: the per-merchant result of a run (the report), its payout decision and
--   the transfer that paid it. `net` is always the sum of its components (CHECK).
--
-- The rules are in src/domain/settlement/README.md.

-- CreateTable
CREATE TABLE "settlement_runs" (
    "id" VARCHAR(64) NOT NULL,
    "workflow_id" VARCHAR(128) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "period_from" TIMESTAMPTZ(3) NOT NULL,
    "period_to" TIMESTAMPTZ(3) NOT NULL,
    "merchant_ids" JSONB,
    "status" VARCHAR(20) NOT NULL DEFAULT 'running',
    "requested_by" VARCHAR(200) NOT NULL,
    "merchants_total" INTEGER NOT NULL DEFAULT 0,
    "lines_settled" INTEGER NOT NULL DEFAULT 0,
    "prepared_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "settlement_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "settlement_runs_id_check" CHECK ("id" ~ '^[A-Za-z0-9_.-]{1,64}$'),
    CONSTRAINT "settlement_runs_period_check" CHECK ("period_from" < "period_to"),
    CONSTRAINT "settlement_runs_status_check" CHECK ("status" IN ('running', 'completed')),
    CONSTRAINT "settlement_runs_merchant_ids_check" CHECK ("merchant_ids" IS NULL OR jsonb_typeof("merchant_ids") = 'array'),
    CONSTRAINT "settlement_runs_completed_check" CHECK (("status" = 'completed') = ("completed_at" IS NOT NULL))
);

-- CreateTable
CREATE TABLE "settlement_items" (
    "line_id" BIGINT NOT NULL,
    "run_id" VARCHAR(64) NOT NULL,
    "merchant_id" VARCHAR(64) NOT NULL,
    "entry_id" UUID NOT NULL,
    "component" VARCHAR(10) NOT NULL,
    "amount" BIGINT NOT NULL,

    CONSTRAINT "settlement_items_pkey" PRIMARY KEY ("line_id"),
    CONSTRAINT "settlement_items_component_check" CHECK ("component" IN ('payable', 'reserve'))
);

-- CreateTable
CREATE TABLE "settlement_payouts" (
    "run_id" VARCHAR(64) NOT NULL,
    "merchant_id" VARCHAR(64) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "lines" INTEGER NOT NULL,
    "gross" BIGINT NOT NULL,
    "refunds" BIGINT NOT NULL,
    "fees" BIGINT NOT NULL,
    "duties_taxes" BIGINT NOT NULL,
    "carrier" BIGINT NOT NULL,
    "reserve_held" BIGINT NOT NULL,
    "reserve_released" BIGINT NOT NULL,
    "brought_forward" BIGINT NOT NULL,
    "other" BIGINT NOT NULL,
    "net" BIGINT NOT NULL,
    "carried_forward" BIGINT NOT NULL DEFAULT 0,
    "status" VARCHAR(20) NOT NULL,
    "payout_currency" CHAR(3),
    "payout_amount" BIGINT,
    "fx_rate" VARCHAR(40),
    "fx_inverted" BOOLEAN,
    "fx_source" VARCHAR(500),
    "fx_as_of" TIMESTAMPTZ(3),
    "destination_account" VARCHAR(255),
    "transfer_id" VARCHAR(255),
    "payout_entry_id" UUID,
    "note" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),

    CONSTRAINT "settlement_payouts_pkey" PRIMARY KEY ("run_id", "merchant_id"),
    CONSTRAINT "settlement_payouts_status_check" CHECK ("status" IN ('pending', 'paid', 'held', 'carried_forward', 'nothing_due', 'failed')),
    CONSTRAINT "settlement_payouts_net_check" CHECK (
        "net" = "gross" - "refunds" - "fees" - "duties_taxes" - "carrier" - "reserve_held"
              + "reserve_released" + "brought_forward" + "other"
    ),
    CONSTRAINT "settlement_payouts_paid_check" CHECK (
        "status" <> 'paid' OR ("transfer_id" IS NOT NULL AND "payout_entry_id" IS NOT NULL AND "payout_amount" > 0)
    ),
    CONSTRAINT "settlement_payouts_pending_check" CHECK (
        "status" NOT IN ('pending', 'paid') OR ("net" > 0 AND "carried_forward" = 0 AND "destination_account" IS NOT NULL)
    )
);

-- CreateIndex
CREATE UNIQUE INDEX "settlement_runs_workflow_id_key" ON "settlement_runs"("workflow_id");

-- CreateIndex
CREATE INDEX "settlement_runs_currency_period_to_idx" ON "settlement_runs"("currency", "period_to");

-- CreateIndex
CREATE INDEX "settlement_items_run_id_idx" ON "settlement_items"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "settlement_payouts_transfer_id_key" ON "settlement_payouts"("transfer_id");

-- CreateIndex
CREATE INDEX "settlement_payouts_merchant_id_idx" ON "settlement_payouts"("merchant_id");

-- AddForeignKey
ALTER TABLE "settlement_items" ADD CONSTRAINT "settlement_items_line_id_fkey" FOREIGN KEY ("line_id") REFERENCES "journal_lines"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "settlement_payouts" ADD CONSTRAINT "settlement_payouts_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "settlement_runs"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "settlement_payouts" ADD CONSTRAINT "settlement_payouts_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- A claimed line stays claimed by its run: no UPDATE, DELETE or TRUNCATE of settlement_items.
CREATE FUNCTION "settlement_items_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'settlement: % on settlement_items is refused: a settled line stays settled by its run', TG_OP;
END;
$$;

CREATE TRIGGER "settlement_items_immutable" BEFORE UPDATE OR DELETE ON "settlement_items"
    FOR EACH ROW EXECUTE FUNCTION "settlement_items_refuse_change"();
CREATE TRIGGER "settlement_items_no_truncate" BEFORE TRUNCATE ON "settlement_items"
    FOR EACH STATEMENT EXECUTE FUNCTION "settlement_items_refuse_change"();

-- Runs are never deleted (claims name them without a foreign key).
CREATE FUNCTION "settlement_runs_refuse_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'settlement: % on settlement_runs is refused: runs are kept with their claims', TG_OP;
END;
$$;

CREATE TRIGGER "settlement_runs_no_delete" BEFORE DELETE ON "settlement_runs"
    FOR EACH ROW EXECUTE FUNCTION "settlement_runs_refuse_delete"();
CREATE TRIGGER "settlement_runs_no_truncate" BEFORE TRUNCATE ON "settlement_runs"
    FOR EACH STATEMENT EXECUTE FUNCTION "settlement_runs_refuse_delete"();
