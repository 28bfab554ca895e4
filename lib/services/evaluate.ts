// Phase evaluation for the services (the one service others may import): it lives beside the
// collector that the notifier and /metrics share it with (lib/collector/evaluate.ts).
export { evaluateAt, hostFilter, hostScope, phaseSummary, type PhaseSummary } from "../collector/evaluate";
