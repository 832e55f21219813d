-- CreateEnum
CREATE TYPE "payment_event_status" AS ENUM ('received', 'ignored', 'processed');

-- CreateTable
CREATE TABLE "payment_events" (
    "id" VARCHAR(255) NOT NULL,
    "type" VARCHAR(255) NOT NULL,
    "api_version" VARCHAR(64),
    "livemode" BOOLEAN NOT NULL,
    "created" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "payment_event_status" NOT NULL,
    "payment_intent_id" VARCHAR(255),
    "order_id" VARCHAR(64),
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "payment_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_events_id_check" CHECK ("id" ~ '^evt_'),
    CONSTRAINT "payment_events_processed_at_check" CHECK (("status" = 'processed') = ("processed_at" IS NOT NULL))
);

-- CreateIndex
CREATE INDEX "payment_events_order_id_idx" ON "payment_events"("order_id");

-- CreateIndex
CREATE INDEX "payment_events_payment_intent_id_idx" ON "payment_events"("payment_intent_id");

-- CreateIndex
CREATE INDEX "payment_events_status_received_at_idx" ON "payment_events"("status", "received_at");
