// The versioned governance-probe report contract (plumbline-probe -> SaaS evidence).
// Filled in by the probe issue.
export {};
