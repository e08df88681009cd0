-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "environment" TEXT,
ADD COLUMN     "environmentReason" TEXT;

-- Backfill: infer production from the name of existing clusters (the next upload re-infers it
-- from labels and name; an admin's setting in "environment" always wins).
UPDATE "Cluster"
SET "production" = true,
    "environmentReason" = 'the cluster name "' || "name" || '" marks production'
WHERE lower("name") ~ '(^|[^a-z0-9])(prod|prd|production|live)[0-9]*([^a-z0-9]|$)'
  AND lower("name") !~ '(^|[^a-z0-9])(dev|develop|development|test|testing|tst|qa|uat|stage|staging|stg|sandbox|sbx|preprod|pre|nonprod|demo|lab|ci|perf|canary)[0-9]*([^a-z0-9]|$)';
