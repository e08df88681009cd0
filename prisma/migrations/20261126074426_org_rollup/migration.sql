-- CreateTable
CREATE TABLE "OrgRollup" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "methodologyVersion" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrgRollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrgRollup_organizationId_key" ON "OrgRollup"("organizationId");

-- AddForeignKey
ALTER TABLE "OrgRollup" ADD CONSTRAINT "OrgRollup_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

