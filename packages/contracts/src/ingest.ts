// The snapshot ingest request/response contract (scanner upload client <-> POST /v1/snapshots).
// Filled in by the live-scanning issue.
export {};
