-- Hourly and daily rollups are 64-bit: a thousand valid events of 100,000,000 credits in one hour exceed
-- 32 bits, and an overflow would fail that hour's batches for good. The values stay JS numbers (int8 is read
-- as a number by the app's own SQL and summed with ::bigint).

-- AlterTable
ALTER TABLE "conversation_day" ALTER COLUMN "count" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "usage_day" ALTER COLUMN "credits" SET DATA TYPE BIGINT,
ALTER COLUMN "events" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "usage_hour" ALTER COLUMN "credits" SET DATA TYPE BIGINT,
ALTER COLUMN "events" SET DATA TYPE BIGINT;
