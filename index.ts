/**
 * lienthong: the sync between MISA AMIS Bán hàng (CRM) and AMIS Kế toán (ACT)
 * as statecharts, with a durable engine that turns what happened in one app
 * into commands for the other.
 */
export {
  createEngine,
  type Engine,
  type EngineInput,
  type EngineOptions,
  type RecordView,
  type ResultListener,
  type RunOutput,
  type StatusesAfter,
} from './src/engine/engine.js';
export { parseEvent, EVENT_TYPES } from './src/events/schema.js';
export { parseJsonLines, readJsonLines } from './src/events/jsonl.js';
export {
  replay,
  type ReplayOptions,
  type ReplayOutput,
  type Summary,
} from './src/replay.js';
export { openSqliteStore, SqliteStore } from './src/store/sqlite.js';
export type {
  ConflictEntry,
  OutboxEntry,
  ParkedEvent,
  RecordKind,
  Store,
  StoredRecord,
} from './src/store/store.js';
export { RULES, RULE_IDS, type Rule } from './src/rules/catalogue.js';
export { STATUS_LABELS, statusLabel } from './src/rules/labels.js';
export {
  contractMachine,
  createOrderMachine,
  salesOrderMachine,
} from './machines/order.js';
export { invoiceMachine } from './machines/invoice.js';
export {
  contractCancellationMachine,
  createCancellationMachine,
  salesOrderCancellationMachine,
} from './machines/cancellation.js';
export {
  customerMachine,
  productMachine,
  quoteMachine,
} from './machines/link.js';
export type { EventFacts, MachineEvent, SyncEmitted } from './machines/sync.js';
export type {
  App,
  Command,
  Notice,
  OrderTarget,
  Outcome,
  Result,
  ResultError,
  SyncEvent,
} from './src/types.js';
