-- Reference exchange rates in the database: one row per published day of a base currency's
-- rates (the ECB's euro reference rates), imported from the publisher's files with
-- `npm run fx -- import <file>`. Quotes and settlement read them when FX_RATES=database.

CREATE TABLE "fx_reference_days" (
    "base" CHAR(3) NOT NULL,
    "day" DATE NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "source" VARCHAR(200) NOT NULL,
    -- { "USD": "1.0705", ... }: 1 unit of the base in units of each currency, as published (decimal strings).
    "rates" JSONB NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fx_reference_days_pkey" PRIMARY KEY ("base", "day"),
    CONSTRAINT "fx_reference_days_base_check" CHECK ("base" ~ '^[A-Z]{3}$'),
    CONSTRAINT "fx_reference_days_rates_check" CHECK (jsonb_typeof("rates") = 'object' AND "rates" <> '{}'::jsonb)
);

-- The newest day published at or before a time.
CREATE INDEX "fx_reference_days_base_published_at_idx" ON "fx_reference_days"("base", "published_at");
