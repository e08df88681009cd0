-- CreateTable
CREATE TABLE "ClusterConnection" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "clusterId" UUID,
    "name" TEXT NOT NULL,
    "server" TEXT NOT NULL,
    "tokenCiphertext" BYTEA NOT NULL,
    "caDataCiphertext" BYTEA,
    "tokenFingerprint" TEXT NOT NULL,
    "scheduleMinutes" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastStatus" "ScanStatus",
    "lastError" TEXT,
    "lastScanId" UUID,
    "lastScanAt" TIMESTAMPTZ(3),
    "scanRequestedAt" TIMESTAMPTZ(3),
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ClusterConnection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ClusterConnection_organizationId_createdAt_idx" ON "ClusterConnection"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterConnection_organizationId_name_key" ON "ClusterConnection"("organizationId", "name");

-- AddForeignKey
ALTER TABLE "ClusterConnection" ADD CONSTRAINT "ClusterConnection_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterConnection" ADD CONSTRAINT "ClusterConnection_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

