-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "data" JSONB;

