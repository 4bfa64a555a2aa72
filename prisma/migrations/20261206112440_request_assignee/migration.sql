-- AlterTable
ALTER TABLE "change_request" ADD COLUMN     "assigned_at" TIMESTAMPTZ(3),
ADD COLUMN     "assigned_by" TEXT,
ADD COLUMN     "assignee_id" TEXT,
ADD COLUMN     "assignee_name" TEXT;
