// Every workflow the worker runs; the worker bundles this module (deterministic code only).
export { systemCheckWorkflow } from './system-check';
export { orderWorkflow } from './order';
export { reconciliationWorkflow } from './reconciliation';
export { settlementWorkflow } from './settlement';
export { fxImportWorkflow } from './fx-import';
