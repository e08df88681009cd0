-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('queued', 'running', 'ready', 'unreachable', 'refused', 'failed');

-- CreateTable
CREATE TABLE "Plan" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "scanId" UUID NOT NULL,
    "targetLevel" INTEGER NOT NULL,
    "targetPillar" TEXT,
    "status" "PlanStatus" NOT NULL DEFAULT 'queued',
    "reason" TEXT,
    "effortVersion" INTEGER NOT NULL DEFAULT 0,
    "plan" JSONB,
    "verification" JSONB,
    "bundle" BYTEA,
    "bundleSha256" TEXT,
    "bundleBytes" INTEGER,
    "bundleFiles" INTEGER,
    "bundleObjects" INTEGER,
    "requestedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanEffort" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "values" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanEffort_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Plan_organizationId_clusterId_createdAt_idx" ON "Plan"("organizationId", "clusterId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PlanEffort_organizationId_version_key" ON "PlanEffort"("organizationId", "version");

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "Scan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanEffort" ADD CONSTRAINT "PlanEffort_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

