import type {
  App,
  Command,
  JsonObject,
  Outcome,
  Result,
  ResultError,
  SyncEvent,
} from '../types.js';

/** The kinds of record the engine keeps, one machine each. */
export type RecordKind =
  | 'order'
  | 'invoice'
  | 'cancellation'
  | 'customer'
  | 'contact'
  | 'product'
  | 'quote';

/** One record as stored: its machine snapshot and what each app was told. */
export interface StoredRecord {
  /** `kind:key`, e.g. `order:DH-0001`. */
  id: string;
  kind: RecordKind;
  key: string;
  /** The record this one belongs to (an invoice's or a cancellation's order). */
  parent?: string;
  /** The machine's persisted snapshot (`getPersistedSnapshot`), as JSON. */
  snapshot: JsonObject;
  /** The last version applied per app (§4 stale check). */
  versions: Partial<Record<App, number>>;
  /** What each app was last sent or last reported, per field (§4). */
  views: Record<App, JsonObject>;
}

/** An event kept until the event that creates its record arrives. */
export interface ParkedEvent {
  seq: number;
  recordId: string;
  event: SyncEvent;
  line?: number;
}

/** A conflict kept for people to resolve. */
export interface ConflictEntry {
  seq: number;
  eventId: string;
  recordId: string;
  line?: number;
  rules: string[];
  error: ResultError;
  event: SyncEvent;
  at: string;
}

/** A command in the outbox. */
export interface OutboxEntry {
  seq: number;
  eventId: string;
  command: Command;
  createdAt: string;
  deliveredAt?: string;
}

/** The last result reported for an event id. */
export interface HandledEvent {
  id: string;
  line?: number;
  outcome: Outcome;
  result: Result;
}

/**
 * Where the engine keeps records, handled events, parked events, conflicts
 * and the outbox. Every method is synchronous; `transaction` makes a group of
 * writes atomic and nests through savepoints.
 */
export interface Store {
  /** Runs `fn` atomically; a throw rolls back everything it wrote. */
  transaction<T>(fn: () => T): T;

  getRecord(id: string): StoredRecord | undefined;
  /**
   * Inserts a record, or replaces its parent, snapshot, versions and views;
   * `kind` and `key` follow from the id and are kept as first written.
   */
  putRecord(record: StoredRecord): void;
  /** Records in id order, optionally of one kind or one parent. */
  listRecords(filter?: { kind?: RecordKind; parent?: string }): StoredRecord[];

  hasEvent(id: string): boolean;
  getEvent(id: string): HandledEvent | undefined;
  /** Inserts or replaces the result kept for an event id. */
  putEvent(entry: HandledEvent): void;

  park(entry: Omit<ParkedEvent, 'seq'>): void;
  /** Removes and returns a record's parked events in arrival order. */
  takeParked(recordId: string): ParkedEvent[];
  listParked(): ParkedEvent[];

  addConflict(entry: Omit<ConflictEntry, 'seq'>): void;
  listConflicts(): ConflictEntry[];

  enqueue(eventId: string, command: Command, createdAt: string): void;
  /** Undelivered commands in the order they were queued. */
  pendingCommands(limit?: number): OutboxEntry[];
  /** Marks commands delivered; returns how many were still pending. */
  markDelivered(seqs: readonly number[], deliveredAt: string): number;
  /** Every command, delivered or not, in queue order. */
  listOutbox(): OutboxEntry[];

  /** A value the store keeps about itself (e.g. `orderTarget`). */
  getMeta(name: string): string | undefined;
  setMeta(name: string, value: string): void;

  close(): void;
}
