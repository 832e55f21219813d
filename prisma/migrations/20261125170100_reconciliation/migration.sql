-- Reconciliation (issue 7 part 5): the payment processor's balance transactions compared with the
-- ledger's movements on processor clearing, for one period and currency
-- (src/domain/reconciliation/README.md).
--
-- - reconciliations: one row per run (its workflow is `reconciliation-<id>`): the request, its
--   status, the counts by kind once completed, and the totals and fee summary (JSONB);
-- - reconciliation_mismatches: one row per mismatch, at most one per match key and run, with
--   the processor transactions and ledger entries involved (JSONB) for finance to act on;
-- - reconciliation_processor_pages: the processor's balance transactions as read, one row per
--   page (idempotent per page number), which the matching step reads back; kept as evidence.

-- CreateTable
CREATE TABLE "reconciliations" (
    "id" VARCHAR(40) NOT NULL,
    "workflow_id" VARCHAR(128) NOT NULL,
    "processor" VARCHAR(32) NOT NULL DEFAULT 'stripe',
    "currency" CHAR(3) NOT NULL,
    "period_from" TIMESTAMPTZ(3) NOT NULL,
    "period_to" TIMESTAMPTZ(3) NOT NULL,
    "processor_window_from" TIMESTAMPTZ(3) NOT NULL,
    "processor_window_to" TIMESTAMPTZ(3) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'running',
    "idempotency_key" VARCHAR(255),
    "request_hash" CHAR(64) NOT NULL,
    "requested_by" VARCHAR(200) NOT NULL,
    "processor_transactions" INTEGER,
    "ledger_entries" INTEGER,
    "matched_count" INTEGER,
    "missing_count" INTEGER,
    "extra_count" INTEGER,
    "different_amount_count" INTEGER,
    "summary" JSONB,
    "error" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "reconciliations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reconciliations_status_check" CHECK ("status" IN ('running', 'completed', 'failed')),
    CONSTRAINT "reconciliations_period_check" CHECK ("period_from" < "period_to"),
    CONSTRAINT "reconciliations_window_check" CHECK (
        "processor_window_from" <= "period_from" AND "processor_window_to" >= "period_to"
    ),
    CONSTRAINT "reconciliations_completed_check" CHECK (
        "status" <> 'completed' OR (
            "completed_at" IS NOT NULL AND "summary" IS NOT NULL
            AND "processor_transactions" IS NOT NULL AND "ledger_entries" IS NOT NULL
            AND "matched_count" IS NOT NULL AND "missing_count" IS NOT NULL
            AND "extra_count" IS NOT NULL AND "different_amount_count" IS NOT NULL
        )
    )
);

-- CreateTable
CREATE TABLE "reconciliation_mismatches" (
    "id" BIGSERIAL NOT NULL,
    "reconciliation_id" VARCHAR(40) NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "category" VARCHAR(20) NOT NULL,
    "match_key" VARCHAR(600) NOT NULL,
    "order_id" VARCHAR(255),
    "currency" CHAR(3) NOT NULL,
    "processor_amount" BIGINT,
    "ledger_amount" BIGINT,
    "difference" BIGINT NOT NULL,
    "processor" JSONB NOT NULL,
    "ledger" JSONB NOT NULL,
    "reason" VARCHAR(2000) NOT NULL,

    CONSTRAINT "reconciliation_mismatches_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reconciliation_mismatches_kind_check" CHECK ("kind" IN ('missing', 'extra', 'different_amount')),
    CONSTRAINT "reconciliation_mismatches_category_check" CHECK (
        "category" IN ('charge', 'refund', 'transfer', 'transfer_reversal', 'other')
    ),
    CONSTRAINT "reconciliation_mismatches_sides_check" CHECK (
        ("kind" = 'missing' AND "processor_amount" IS NOT NULL AND "ledger_amount" IS NULL)
        OR ("kind" = 'extra' AND "processor_amount" IS NULL AND "ledger_amount" IS NOT NULL)
        OR ("kind" = 'different_amount' AND "processor_amount" IS NOT NULL AND "ledger_amount" IS NOT NULL
            AND "processor_amount" <> "ledger_amount")
    ),
    CONSTRAINT "reconciliation_mismatches_difference_check" CHECK (
        "difference" = coalesce("processor_amount", 0) - coalesce("ledger_amount", 0)
    )
);

-- CreateTable
CREATE TABLE "reconciliation_processor_pages" (
    "reconciliation_id" VARCHAR(40) NOT NULL,
    "page_no" INTEGER NOT NULL,
    "starting_after" VARCHAR(255),
    "next_starting_after" VARCHAR(255),
    "items" JSONB NOT NULL,
    "item_count" INTEGER NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reconciliation_processor_pages_pkey" PRIMARY KEY ("reconciliation_id", "page_no"),
    CONSTRAINT "reconciliation_processor_pages_page_no_check" CHECK ("page_no" >= 0)
);

-- CreateIndex
CREATE UNIQUE INDEX "reconciliations_workflow_id_key" ON "reconciliations"("workflow_id");

-- CreateIndex
CREATE UNIQUE INDEX "reconciliations_idempotency_key_key" ON "reconciliations"("idempotency_key");

-- CreateIndex
CREATE INDEX "reconciliations_created_at_id_idx" ON "reconciliations"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "reconciliation_mismatches_reconciliation_id_match_key_key" ON "reconciliation_mismatches"("reconciliation_id", "match_key");

-- CreateIndex
CREATE INDEX "reconciliation_mismatches_reconciliation_id_kind_idx" ON "reconciliation_mismatches"("reconciliation_id", "kind");

-- AddForeignKey
ALTER TABLE "reconciliation_mismatches" ADD CONSTRAINT "reconciliation_mismatches_reconciliation_id_fkey" FOREIGN KEY ("reconciliation_id") REFERENCES "reconciliations"("id") ON DELETE CASCADE ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "reconciliation_processor_pages" ADD CONSTRAINT "reconciliation_processor_pages_reconciliation_id_fkey" FOREIGN KEY ("reconciliation_id") REFERENCES "reconciliations"("id") ON DELETE CASCADE ON UPDATE RESTRICT;
