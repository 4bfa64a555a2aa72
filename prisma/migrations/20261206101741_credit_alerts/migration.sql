-- AlterTable
ALTER TABLE "account" ADD COLUMN     "alert_thresholds" JSONB;

-- AlterTable
ALTER TABLE "pending_message" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "credit_alert" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "trigger" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION,
    "notified" BOOLEAN NOT NULL,
    "balance" INTEGER NOT NULL,
    "plan_credits" INTEGER NOT NULL,
    "limit_credits" INTEGER,
    "burn_rate_per_day" DOUBLE PRECISION NOT NULL,
    "runs_out_at" TIMESTAMPTZ(3),
    "runs_out_before_top_up" BOOLEAN NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credit_alert_account_id_period_start_trigger_key" ON "credit_alert"("account_id", "period_start", "trigger");

-- AddForeignKey
ALTER TABLE "credit_alert" ADD CONSTRAINT "credit_alert_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
