-- CreateTable
CREATE TABLE "quotes" (
    "id" VARCHAR(64) NOT NULL,
    "merchant_id" VARCHAR(64) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "incoterm" VARCHAR(3) NOT NULL,
    "ship_from_country" CHAR(2) NOT NULL,
    "ship_to_country" CHAR(2) NOT NULL,
    "charge_now_amount" BIGINT NOT NULL,
    "due_on_delivery_amount" BIGINT NOT NULL,
    "screening_decision" VARCHAR(10) NOT NULL,
    "request" JSONB NOT NULL,
    "breakdown" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'OPEN',
    "consumed_by_order_id" VARCHAR(64),
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "quotes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "quotes_id_check" CHECK ("id" ~ '^qt_[0-9a-f]{24}$'),
    CONSTRAINT "quotes_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
    CONSTRAINT "quotes_incoterm_check" CHECK ("incoterm" IN ('DDP', 'DAP')),
    CONSTRAINT "quotes_ship_from_country_check" CHECK ("ship_from_country" ~ '^[A-Z]{2}$'),
    CONSTRAINT "quotes_ship_to_country_check" CHECK ("ship_to_country" ~ '^[A-Z]{2}$'),
    CONSTRAINT "quotes_charge_now_amount_check" CHECK ("charge_now_amount" >= 0),
    CONSTRAINT "quotes_due_on_delivery_amount_check" CHECK ("due_on_delivery_amount" >= 0),
    CONSTRAINT "quotes_screening_decision_check" CHECK ("screening_decision" IN ('ALLOW', 'REVIEW', 'BLOCK')),
    CONSTRAINT "quotes_status_check" CHECK ("status" IN ('OPEN', 'CONSUMED')),
    CONSTRAINT "quotes_consumed_check" CHECK (
        ("status" = 'CONSUMED') = ("consumed_by_order_id" IS NOT NULL AND "consumed_at" IS NOT NULL)
        AND ("consumed_by_order_id" IS NULL) = ("consumed_at" IS NULL)
    ),
    CONSTRAINT "quotes_expires_at_check" CHECK ("expires_at" > "created_at"),
    CONSTRAINT "quotes_breakdown_check" CHECK (jsonb_typeof("breakdown") = 'object'),
    CONSTRAINT "quotes_request_check" CHECK (jsonb_typeof("request") = 'object')
);

-- CreateIndex
CREATE UNIQUE INDEX "quotes_consumed_by_order_id_key" ON "quotes"("consumed_by_order_id");

-- CreateIndex
CREATE INDEX "quotes_merchant_id_created_at_idx" ON "quotes"("merchant_id", "created_at");

-- CreateIndex
CREATE INDEX "quotes_status_expires_at_idx" ON "quotes"("status", "expires_at");

-- AddForeignKey
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
