-- AlterTable: the SHA-256 of the stored gzip bytes (null for blobs stored before this migration,
-- which the worker checks by the scan's content hash instead).
ALTER TABLE "SnapshotBlob" ADD COLUMN "gzipSha256" TEXT;
