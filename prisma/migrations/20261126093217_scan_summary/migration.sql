-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "collectedAt" TIMESTAMPTZ(3),
ADD COLUMN     "summary" JSONB;

