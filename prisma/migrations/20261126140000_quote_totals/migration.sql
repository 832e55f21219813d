-- A quote's totals (goods, shipping, duties, taxes, fees, charge now, due on delivery) in a column
-- of their own, beside the breakdown that also holds them. Placing an order reads them before its
-- workflow starts; taking them out of the breakdown (a few KiB, stored compressed out of line)
-- cost about 0.15 ms on that path (bench/README.md). Written with every quote from this migration
-- on; NULL for the quotes before it, which are read from the breakdown (COALESCE) and expire
-- within their validity anyway, so no backfill rewrites the table.
ALTER TABLE "quotes" ADD COLUMN "totals" JSONB;

ALTER TABLE "quotes" ADD CONSTRAINT "quotes_totals_check" CHECK ("totals" IS NULL OR jsonb_typeof("totals") = 'object');
