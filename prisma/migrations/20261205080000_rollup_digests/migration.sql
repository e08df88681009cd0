-- AlterTable
ALTER TABLE "OrgRollup" ADD COLUMN     "actions" JSONB,
ADD COLUMN     "agents" JSONB,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "failedAt" TIMESTAMPTZ(3),
ADD COLUMN     "overview" JSONB,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'ok';

-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "digest" JSONB;
