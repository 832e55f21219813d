-- GET /v1/settlements lists runs newest first, paged by (created_at, id).

-- CreateIndex
CREATE INDEX "settlement_runs_created_at_id_idx" ON "settlement_runs"("created_at", "id");
