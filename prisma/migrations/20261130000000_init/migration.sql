-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "grant_kind" AS ENUM ('carryover', 'addon', 'adjustment');

-- CreateEnum
CREATE TYPE "usage_type" AS ENUM ('company_scraping', 'contact_scraping', 'enrichment', 'ai_variable', 'workflow');

-- CreateEnum
CREATE TYPE "request_kind" AS ENUM ('buy_credits', 'change_plan');

-- CreateEnum
CREATE TYPE "request_status" AS ENUM ('pending', 'approved', 'rejected', 'cancelled');

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "top_up_day" INTEGER NOT NULL DEFAULT 1,
    "ledger_version" BIGINT NOT NULL DEFAULT 0,
    "manager_slack_user_id" TEXT,
    "manager_name" TEXT,
    "manager_email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_assignment" (
    "id" BIGSERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "plan_id" TEXT,
    "name" TEXT NOT NULL,
    "monthly_credits" INTEGER NOT NULL,
    "price_amount" INTEGER NOT NULL,
    "price_currency" TEXT NOT NULL,
    "identities" INTEGER NOT NULL,
    "conversations_per_identity" INTEGER NOT NULL DEFAULT 500,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'platform',
    "request_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_user" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "locale" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "platform_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity" (
    "account_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_pkey" PRIMARY KEY ("account_id","id")
);

-- CreateTable
CREATE TABLE "campaign" (
    "account_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("account_id","id")
);

-- CreateTable
CREATE TABLE "plan" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "monthly_credits" INTEGER NOT NULL,
    "price_amount" INTEGER NOT NULL,
    "price_currency" TEXT NOT NULL,
    "identities" INTEGER NOT NULL,
    "conversations_per_identity" INTEGER NOT NULL DEFAULT 500,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_pack" (
    "id" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "price_amount" INTEGER NOT NULL,
    "price_currency" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "credit_pack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_grant" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "kind" "grant_kind" NOT NULL,
    "credits" INTEGER NOT NULL,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "source" TEXT NOT NULL DEFAULT 'platform',
    "request_id" UUID,
    "payload_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_event" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" "usage_type" NOT NULL,
    "credits" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_hour" (
    "account_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "credits" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "usage_hour_pkey" PRIMARY KEY ("account_id","hour")
);

-- CreateTable
CREATE TABLE "usage_day" (
    "account_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "type" "usage_type" NOT NULL,
    "user_id" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "usage_day_pkey" PRIMARY KEY ("account_id","day","type","user_id")
);

-- CreateTable
CREATE TABLE "conversation_event" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "identity_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "campaign_name" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_day" (
    "account_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "identity_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "conversation_day_pkey" PRIMARY KEY ("account_id","day","identity_id","campaign_id")
);

-- CreateTable
CREATE TABLE "period_close" (
    "account_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "figures" JSONB NOT NULL,
    "closed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "period_close_pkey" PRIMARY KEY ("account_id","period_start")
);

-- CreateTable
CREATE TABLE "chat_conversation" (
    "id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "origin" TEXT,
    "locale" TEXT,
    "reference" JSONB,
    "mode" TEXT NOT NULL DEFAULT 'bot',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bot_state" (
    "key" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "e_tag" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bot_state_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "dl_conversation" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "last_seq" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dl_conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dl_activity" (
    "conversation_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "activity" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dl_activity_pkey" PRIMARY KEY ("conversation_id","seq")
);

-- CreateTable
CREATE TABLE "pending_message" (
    "id" BIGSERIAL NOT NULL,
    "user_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "pending_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_request" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" TEXT NOT NULL,
    "requester_user_id" TEXT NOT NULL,
    "conversation_id" TEXT,
    "kind" "request_kind" NOT NULL,
    "status" "request_status" NOT NULL DEFAULT 'pending',
    "credits" INTEGER NOT NULL,
    "pack_id" TEXT,
    "target_plan_id" TEXT,
    "target_plan" JSONB,
    "current_plan" JSONB NOT NULL,
    "price_amount" INTEGER NOT NULL,
    "price_currency" TEXT NOT NULL,
    "effective" TEXT,
    "idempotency_key" TEXT,
    "sla_due_at" TIMESTAMPTZ(3) NOT NULL,
    "sla_reminded_at" TIMESTAMPTZ(3),
    "slack_channel" TEXT,
    "slack_ts" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "change_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_decision" (
    "request_id" UUID NOT NULL,
    "decision" TEXT NOT NULL,
    "decider_id" TEXT NOT NULL,
    "decider_name" TEXT,
    "via" TEXT NOT NULL,
    "reason" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_decision_pkey" PRIMARY KEY ("request_id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "job_name" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "relayed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "side_effect" (
    "key" TEXT NOT NULL,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "side_effect_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "operator" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "slack_user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "console_session" (
    "id" TEXT NOT NULL,
    "operator_id" UUID NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "console_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "plan_assignment_account_id_effective_from_idx" ON "plan_assignment"("account_id", "effective_from");

-- CreateIndex
CREATE INDEX "platform_user_account_id_idx" ON "platform_user"("account_id");

-- CreateIndex
CREATE INDEX "credit_grant_account_id_expires_at_idx" ON "credit_grant"("account_id", "expires_at");

-- CreateIndex
CREATE INDEX "usage_event_account_id_occurred_at_idx" ON "usage_event"("account_id", "occurred_at");

-- CreateIndex
CREATE INDEX "conversation_event_account_id_occurred_at_idx" ON "conversation_event"("account_id", "occurred_at");

-- CreateIndex
CREATE INDEX "chat_conversation_account_id_idx" ON "chat_conversation"("account_id");

-- CreateIndex
CREATE INDEX "chat_conversation_user_id_last_activity_at_idx" ON "chat_conversation"("user_id", "last_activity_at");

-- CreateIndex
CREATE INDEX "dl_conversation_user_id_idx" ON "dl_conversation"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "pending_message_dedupe_key_key" ON "pending_message"("dedupe_key");

-- CreateIndex
CREATE INDEX "pending_message_user_id_delivered_at_idx" ON "pending_message"("user_id", "delivered_at");

-- CreateIndex
CREATE UNIQUE INDEX "change_request_idempotency_key_key" ON "change_request"("idempotency_key");

-- CreateIndex
CREATE INDEX "change_request_status_sla_due_at_idx" ON "change_request"("status", "sla_due_at");

-- CreateIndex
CREATE INDEX "change_request_account_id_created_at_idx" ON "change_request"("account_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_job_id_key" ON "outbox"("job_id");

-- CreateIndex
CREATE INDEX "outbox_relayed_at_id_idx" ON "outbox"("relayed_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "operator_email_key" ON "operator"("email");

-- AddForeignKey
ALTER TABLE "plan_assignment" ADD CONSTRAINT "plan_assignment_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "platform_user" ADD CONSTRAINT "platform_user_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity" ADD CONSTRAINT "identity_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_grant" ADD CONSTRAINT "credit_grant_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_conversation" ADD CONSTRAINT "chat_conversation_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dl_activity" ADD CONSTRAINT "dl_activity_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "dl_conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request" ADD CONSTRAINT "change_request_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_decision" ADD CONSTRAINT "request_decision_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "change_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "console_session" ADD CONSTRAINT "console_session_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;
