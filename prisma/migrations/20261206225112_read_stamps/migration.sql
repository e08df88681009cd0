-- CreateTable
CREATE TABLE "ClusterReadStamp" (
    "clusterId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "stamp" BIGINT NOT NULL,

    CONSTRAINT "ClusterReadStamp_pkey" PRIMARY KEY ("clusterId")
);

-- The stamp is rewritten on every scan write: it is not indexed and pages keep room, so each
-- rewrite is a heap-only update (no index entry per write, no index bloat between vacuums).
ALTER TABLE "ClusterReadStamp" SET (fillfactor = 50);

-- CreateIndex
CREATE INDEX "ClusterReadStamp_organizationId_idx" ON "ClusterReadStamp"("organizationId");

-- AddForeignKey
ALTER TABLE "ClusterReadStamp" ADD CONSTRAINT "ClusterReadStamp_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterReadStamp" ADD CONSTRAINT "ClusterReadStamp_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Read stamps: a cluster's stamp moves forward (one sequence, never reused) whenever the cluster
-- row, any of its scans or any scan's analysis result is written or deleted. Per-process caches
-- of a cluster's page and of the organisation's fleet table (count and newest stamp over its
-- clusters) are checked with one small query. Set by triggers, so no write path can forget it.
CREATE SEQUENCE "ClusterReadStamp_seq" AS BIGINT;

-- The cluster row is locked before its stamp row, by every writer: a transaction that writes a
-- scan and then the cluster (an analysis stored, then lastScanAt) and an upload (the cluster,
-- then a scan) take the two locks in the same order, so they queue instead of deadlocking.
CREATE FUNCTION "plumbline_touch_cluster"(cluster UUID) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Cluster" WHERE "id" = cluster FOR NO KEY UPDATE;
  INSERT INTO "ClusterReadStamp" ("clusterId", "organizationId", "stamp")
  SELECT c."id", c."organizationId", nextval('"ClusterReadStamp_seq"')
    FROM "Cluster" c WHERE c."id" = cluster
  ON CONFLICT ("clusterId") DO UPDATE SET "stamp" = EXCLUDED."stamp";
END $$;

CREATE FUNCTION "plumbline_cluster_stamp"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "plumbline_touch_cluster"(NEW."id");
  RETURN NULL;
END $$;

CREATE TRIGGER "Cluster_readStamp" AFTER INSERT OR UPDATE ON "Cluster"
  FOR EACH ROW EXECUTE FUNCTION "plumbline_cluster_stamp"();

CREATE FUNCTION "plumbline_scan_stamp"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "plumbline_touch_cluster"(OLD."clusterId");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."clusterId" IS DISTINCT FROM OLD."clusterId") THEN
    PERFORM "plumbline_touch_cluster"(NEW."clusterId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Scan_readStamp" AFTER INSERT OR UPDATE OR DELETE ON "Scan"
  FOR EACH ROW EXECUTE FUNCTION "plumbline_scan_stamp"();

CREATE FUNCTION "plumbline_result_stamp"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "plumbline_touch_cluster"(s."clusterId") FROM "Scan" s WHERE s."id" = OLD."scanId";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM "plumbline_touch_cluster"(s."clusterId") FROM "Scan" s WHERE s."id" = NEW."scanId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "AnalysisResult_readStamp" AFTER INSERT OR UPDATE OR DELETE ON "AnalysisResult"
  FOR EACH ROW EXECUTE FUNCTION "plumbline_result_stamp"();

-- Clusters that exist already.
INSERT INTO "ClusterReadStamp" ("clusterId", "organizationId", "stamp")
SELECT "id", "organizationId", nextval('"ClusterReadStamp_seq"') FROM "Cluster";
