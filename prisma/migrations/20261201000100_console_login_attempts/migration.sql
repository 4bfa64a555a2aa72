-- CreateTable
CREATE TABLE "console_login_attempt" (
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "console_login_attempt_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "console_login_attempt_window_ends_at_idx" ON "console_login_attempt"("window_ends_at");
