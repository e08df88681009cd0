-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "policyDialect" TEXT NOT NULL DEFAULT 'kubernetes';

