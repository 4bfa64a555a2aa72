-- CreateEnum
CREATE TYPE "escalation_status" AS ENUM ('open', 'claimed', 'closed');

-- CreateTable
CREATE TABLE "escalation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "trigger" TEXT,
    "status" "escalation_status" NOT NULL DEFAULT 'open',
    "outcome" TEXT,
    "slack_channel" TEXT,
    "slack_thread_ts" TEXT,
    "assignee_id" TEXT,
    "assignee_name" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "closed_by" TEXT,
    "sla_due_at" TIMESTAMPTZ(3) NOT NULL,
    "sla_breached_at" TIMESTAMPTZ(3),
    "deliver_lease_until" TIMESTAMPTZ(3),
    "mirror_lease_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalation_message" (
    "id" BIGSERIAL NOT NULL,
    "escalation_id" UUID NOT NULL,
    "direction" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "author_id" TEXT,
    "author_name" TEXT,
    "text" TEXT NOT NULL,
    "event" TEXT,
    "files" JSONB,
    "slack_ts" TEXT,
    "mirrored_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "delivered_to" TEXT,
    "replayed_at" TIMESTAMPTZ(3),
    "edited_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "escalation_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "escalation_status_sla_due_at_idx" ON "escalation"("status", "sla_due_at");

-- CreateIndex
CREATE INDEX "escalation_user_id_status_idx" ON "escalation"("user_id", "status");

-- CreateIndex
CREATE INDEX "escalation_account_id_created_at_idx" ON "escalation"("account_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "escalation_slack_channel_slack_thread_ts_key" ON "escalation"("slack_channel", "slack_thread_ts");

-- CreateIndex
CREATE INDEX "escalation_message_escalation_id_id_idx" ON "escalation_message"("escalation_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "escalation_message_source_source_id_key" ON "escalation_message"("source", "source_id");

-- AddForeignKey
ALTER TABLE "escalation" ADD CONSTRAINT "escalation_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_message" ADD CONSTRAINT "escalation_message_escalation_id_fkey" FOREIGN KEY ("escalation_id") REFERENCES "escalation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
