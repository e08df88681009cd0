-- AlterTable
ALTER TABLE "OutboxEmail" ADD COLUMN     "reportId" UUID;

-- CreateIndex
CREATE INDEX "OutboxEmail_reportId_idx" ON "OutboxEmail"("reportId");

-- AddForeignKey
ALTER TABLE "OutboxEmail" ADD CONSTRAINT "OutboxEmail_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;

