// Detected-stack result types (packages/detection -> analysis result). Filled in by the
// detection issue.
export {};
