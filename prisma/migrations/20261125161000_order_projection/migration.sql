-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "current_step" VARCHAR(40),
ADD COLUMN     "needs_attention" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "payment_intent_id" VARCHAR(255),
ADD COLUMN     "shipment_id" VARCHAR(255),
ADD COLUMN     "view" JSONB,
ADD COLUMN     "timeline" JSONB,
ADD COLUMN     "projection_version" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "orders_needs_attention_created_at_idx" ON "orders"("needs_attention", "created_at");

-- CreateIndex
CREATE INDEX "orders_payment_intent_id_idx" ON "orders"("payment_intent_id");

-- CreateIndex
CREATE INDEX "orders_shipment_id_idx" ON "orders"("shipment_id");

-- CreateTable
CREATE TABLE "carrier_events" (
    "id" VARCHAR(255) NOT NULL,
    "shipment_id" VARCHAR(255) NOT NULL,
    "tracking_number" VARCHAR(255) NOT NULL,
    "reference" VARCHAR(255) NOT NULL,
    "order_id" VARCHAR(64),
    "status" VARCHAR(32) NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "carrier_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "carrier_events_order_id_occurred_at_idx" ON "carrier_events"("order_id", "occurred_at");

-- CreateIndex
CREATE INDEX "carrier_events_shipment_id_idx" ON "carrier_events"("shipment_id");
