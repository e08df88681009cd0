-- A re-analysis asked for (an evidence change) is recorded on the scan until an analysis that
-- started after it finishes or fails for good: the worker's reconciler queues it again when the
-- queue lost its job (Redis restarted without persistence, flushed, failed over).
ALTER TABLE "Scan" ADD COLUMN "reanalyzeRequestedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Scan_reanalyzeRequestedAt_idx" ON "Scan"("reanalyzeRequestedAt");
