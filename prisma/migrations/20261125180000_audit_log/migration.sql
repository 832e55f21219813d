-- The audit log: who (API key id, name, role) did what (method, route pattern, subject, a
-- summary of the body without secrets), when, under which request id, with what outcome
-- (status code, error code). Written by the API for routes that declare `config.audit`
-- (src/api/plugins/audit.ts) and by `npm run keys`.
--
-- Append-only: rows are never updated, deleted or truncated (triggers refuse it, as for the
-- ledger). So that a crash between an action and its log cannot lose the action, a request that
-- reaches its handler writes two rows: an `intent` row before the handler acts (no intent
-- written, no action), and a `result` row after the answer, pointing at its intent. An intent
-- without a result means the outcome was never recorded (the process stopped, or the request is
-- still running). A request refused before its handler (403, 400, 429, ...) writes a result only.

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "phase" VARCHAR(10) NOT NULL,
    "intent_id" BIGINT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "request_id" VARCHAR(128) NOT NULL,
    "actor_key_id" UUID,
    "actor_name" VARCHAR(200) NOT NULL,
    "actor_role" VARCHAR(20) NOT NULL,
    "method" VARCHAR(10) NOT NULL,
    "route" VARCHAR(300) NOT NULL,
    "subject_type" VARCHAR(40),
    "subject_id" VARCHAR(255),
    "idempotency_key" VARCHAR(255),
    "body" JSONB,
    "status_code" INTEGER,
    "error_code" VARCHAR(64),
    "outcome" VARCHAR(10),
    "duration_ms" INTEGER,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audit_log_phase_check" CHECK (
        ("phase" = 'intent' AND "intent_id" IS NULL AND "status_code" IS NULL AND "outcome" IS NULL)
        OR ("phase" = 'result' AND "status_code" IS NOT NULL
            AND "outcome" IN ('succeeded', 'refused', 'failed'))
    )
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_intent_id_key" ON "audit_log"("intent_id");

-- CreateIndex
CREATE INDEX "audit_log_actor_key_id_id_idx" ON "audit_log"("actor_key_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_route_id_idx" ON "audit_log"("route", "id");

-- CreateIndex
CREATE INDEX "audit_log_subject_id_id_idx" ON "audit_log"("subject_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_occurred_at_idx" ON "audit_log"("occurred_at");

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_intent_id_fkey" FOREIGN KEY ("intent_id") REFERENCES "audit_log"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Append-only.
CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log: % is refused: the audit log is append-only', TG_OP;
END;
$$;

CREATE TRIGGER "audit_log_immutable" BEFORE UPDATE OR DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"();
