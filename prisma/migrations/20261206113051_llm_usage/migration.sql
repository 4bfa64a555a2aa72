-- CreateTable
CREATE TABLE "chat_llm_usage" (
    "conversation_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "turns" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
    "completion_tokens" BIGINT NOT NULL DEFAULT 0,
    "blocked_replies" INTEGER NOT NULL DEFAULT 0,
    "first_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_llm_usage_pkey" PRIMARY KEY ("conversation_id")
);

-- CreateIndex
CREATE INDEX "chat_llm_usage_account_id_last_at_idx" ON "chat_llm_usage"("account_id", "last_at");
