-- Read change feed: every committed change to what the dashboard's cached reads are built from
-- (a cluster's read stamp, which its scans and results move; the organisation's roll-up and
-- views; its cost assumptions; the organisation row) notifies the organisation's id on one
-- channel. API processes LISTEN and serve an unchanged page without asking the database; when
-- they are not listening they ask every time. NOTIFY is delivered at commit, once per payload
-- per transaction, and never for a rolled-back write.
CREATE FUNCTION "plumbline_notify_org_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_notify('plumbline_org_changed', OLD."organizationId"::text);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_notify('plumbline_org_changed', NEW."organizationId"::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "ClusterReadStamp_changeFeed" AFTER INSERT OR UPDATE OR DELETE ON "ClusterReadStamp"
  FOR EACH ROW EXECUTE FUNCTION "plumbline_notify_org_change"();

CREATE TRIGGER "OrgRollup_changeFeed" AFTER INSERT OR UPDATE OR DELETE ON "OrgRollup"
  FOR EACH ROW EXECUTE FUNCTION "plumbline_notify_org_change"();

CREATE TRIGGER "CostAssumptions_changeFeed" AFTER INSERT OR UPDATE OR DELETE ON "CostAssumptions"
  FOR EACH ROW EXECUTE FUNCTION "plumbline_notify_org_change"();

CREATE FUNCTION "plumbline_notify_organization_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_notify('plumbline_org_changed', OLD."id"::text);
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('plumbline_org_changed', NEW."id"::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Organization_changeFeed" AFTER INSERT OR UPDATE OR DELETE ON "Organization"
  FOR EACH ROW EXECUTE FUNCTION "plumbline_notify_organization_change"();
