import Database from 'better-sqlite3';
import type {
  Command,
  Outcome,
  Result,
  ResultError,
  SyncEvent,
} from '../types.js';
import type {
  ConflictEntry,
  HandledEvent,
  OutboxEntry,
  ParkedEvent,
  RecordKind,
  Store,
  StoredRecord,
} from './store.js';

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  parent TEXT,
  snapshot TEXT NOT NULL,
  versions TEXT NOT NULL,
  views TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_parent ON records (parent, kind, id);
CREATE INDEX IF NOT EXISTS records_by_kind ON records (kind, id);

CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  line INTEGER,
  outcome TEXT NOT NULL,
  result TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS parked (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL,
  event TEXT NOT NULL,
  line INTEGER
);
CREATE INDEX IF NOT EXISTS parked_by_record ON parked (record_id, seq);

CREATE TABLE IF NOT EXISTS conflicts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  line INTEGER,
  rules TEXT NOT NULL,
  error TEXT NOT NULL,
  event TEXT NOT NULL,
  at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  command TEXT NOT NULL,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE delivered_at IS NULL;
`;

interface RecordRow {
  id: string;
  kind: string;
  key: string;
  parent: string | null;
  snapshot: string;
  versions: string;
  views: string;
}

interface EventRow {
  id: string;
  line: number | null;
  outcome: string;
  result: string;
}

interface ParkedRow {
  seq: number;
  record_id: string;
  event: string;
  line: number | null;
}

interface ConflictRow {
  seq: number;
  event_id: string;
  record_id: string;
  line: number | null;
  rules: string;
  error: string;
  event: string;
  at: string;
}

interface OutboxRow {
  seq: number;
  event_id: string;
  command: string;
  created_at: string;
  delivered_at: string | null;
}

const RECORD_COLUMNS = 'id, kind, key, parent, snapshot, versions, views';
const OUTBOX_COLUMNS = 'seq, event_id, command, created_at, delivered_at';

function toRecord(row: RecordRow): StoredRecord {
  const record: StoredRecord = {
    id: row.id,
    kind: row.kind as RecordKind,
    key: row.key,
    snapshot: JSON.parse(row.snapshot) as StoredRecord['snapshot'],
    versions: JSON.parse(row.versions) as StoredRecord['versions'],
    views: JSON.parse(row.views) as StoredRecord['views'],
  };
  if (row.parent !== null) record.parent = row.parent;
  return record;
}

function toHandledEvent(row: EventRow): HandledEvent {
  const entry: HandledEvent = {
    id: row.id,
    outcome: row.outcome as Outcome,
    result: JSON.parse(row.result) as Result,
  };
  if (row.line !== null) entry.line = row.line;
  return entry;
}

function toParked(row: ParkedRow): ParkedEvent {
  const entry: ParkedEvent = {
    seq: row.seq,
    recordId: row.record_id,
    event: JSON.parse(row.event) as SyncEvent,
  };
  if (row.line !== null) entry.line = row.line;
  return entry;
}

function toConflict(row: ConflictRow): ConflictEntry {
  const entry: ConflictEntry = {
    seq: row.seq,
    eventId: row.event_id,
    recordId: row.record_id,
    rules: JSON.parse(row.rules) as string[],
    error: JSON.parse(row.error) as ResultError,
    event: JSON.parse(row.event) as SyncEvent,
    at: row.at,
  };
  if (row.line !== null) entry.line = row.line;
  return entry;
}

function toOutbox(row: OutboxRow): OutboxEntry {
  const entry: OutboxEntry = {
    seq: row.seq,
    eventId: row.event_id,
    command: JSON.parse(row.command) as Command,
    createdAt: row.created_at,
  };
  if (row.delivered_at !== null) entry.deliveredAt = row.delivered_at;
  return entry;
}

function isMemoryPath(path: string): boolean {
  // better-sqlite3 treats '' as a private temporary database as well.
  return path === ':memory:' || path === '';
}

/**
 * Creates the schema in a fresh database, or checks the version of an
 * existing one. Throws, without touching the file, when the version differs
 * or when the file holds tables of something that is not a lienthong store.
 */
function prepareSchema(db: Database.Database, path: string): void {
  const setUp = db.transaction(() => {
    const hasMeta =
      db
        .prepare(
          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        )
        .get() !== undefined;
    if (hasMeta) {
      const found = db
        .prepare("SELECT value FROM meta WHERE key = 'schema_version'")
        .pluck()
        .get() as string | number | null | undefined;
      if (found === undefined) {
        throw new Error(
          `Store ${path} has a meta table without a schema_version; it is not a lienthong store.`,
        );
      }
      if (String(found) !== String(SCHEMA_VERSION)) {
        throw new Error(
          `Store ${path} has schema version ${String(found)}; this ` +
            `lienthong expects version ${SCHEMA_VERSION}.`,
        );
      }
      return;
    }
    const others = db
      .prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      )
      .pluck()
      .get() as number;
    if (others > 0) {
      throw new Error(
        `Store ${path} holds tables but no lienthong schema version; refusing to add tables to it.`,
      );
    }
    db.exec(
      'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)' +
        ';' +
        SCHEMA,
    );
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
    ).run(String(SCHEMA_VERSION));
  });
  // IMMEDIATE takes the write lock up front, so two processes opening the
  // same new file cannot both try to create the schema.
  setUp.immediate();
}

/** A {@link Store} kept in one SQLite database through better-sqlite3. */
export class SqliteStore implements Store {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly runInTransaction: (fn: () => unknown) => unknown;

  private readonly getRecordStmt: Database.Statement<[string], RecordRow>;
  private readonly putRecordStmt: Database.Statement<
    [string, string, string, string | null, string, string, string]
  >;
  private readonly listRecordsStmt: Database.Statement<[], RecordRow>;
  private readonly listRecordsByKindStmt: Database.Statement<
    [string],
    RecordRow
  >;
  private readonly listRecordsByParentStmt: Database.Statement<
    [string],
    RecordRow
  >;
  private readonly listRecordsByParentKindStmt: Database.Statement<
    [string, string],
    RecordRow
  >;

  private readonly hasEventStmt: Database.Statement<[string], number>;
  private readonly getEventStmt: Database.Statement<[string], EventRow>;
  private readonly putEventStmt: Database.Statement<
    [string, number | null, string, string]
  >;

  private readonly parkStmt: Database.Statement<
    [string, string, number | null]
  >;
  private readonly parkedForStmt: Database.Statement<[string], ParkedRow>;
  private readonly unparkStmt: Database.Statement<[string]>;
  private readonly listParkedStmt: Database.Statement<[], ParkedRow>;
  private readonly takeParkedTx: (recordId: string) => ParkedEvent[];

  private readonly addConflictStmt: Database.Statement<
    [string, string, number | null, string, string, string, string]
  >;
  private readonly listConflictsStmt: Database.Statement<[], ConflictRow>;

  private readonly enqueueStmt: Database.Statement<[string, string, string]>;
  private readonly pendingStmt: Database.Statement<[number], OutboxRow>;
  private readonly markDeliveredStmt: Database.Statement<[string, number]>;
  private readonly markDeliveredTx: (
    seqs: readonly number[],
    deliveredAt: string,
  ) => number;
  private readonly listOutboxStmt: Database.Statement<[], OutboxRow>;

  constructor(path: string) {
    this.path = path;
    const db = new Database(path);
    try {
      db.pragma('busy_timeout = 5000');
      if (!isMemoryPath(path)) {
        db.pragma('journal_mode = WAL');
        // FULL syncs the WAL on every commit: a committed transaction survives
        // a killed process and a power loss alike.
        db.pragma('synchronous = FULL');
      }
      prepareSchema(db, path);
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;

    // One wrapper serves every call: better-sqlite3 decides at call time
    // whether to BEGIN or, inside a transaction already, to take a savepoint.
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());

    this.getRecordStmt = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE id = ?`,
    );
    this.putRecordStmt = db.prepare(
      `INSERT INTO records (${RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         parent = excluded.parent,
         snapshot = excluded.snapshot,
         versions = excluded.versions,
         views = excluded.views`,
    );
    this.listRecordsStmt = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM records ORDER BY id`,
    );
    this.listRecordsByKindStmt = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE kind = ? ORDER BY id`,
    );
    this.listRecordsByParentStmt = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE parent = ? ORDER BY id`,
    );
    this.listRecordsByParentKindStmt = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM records
       WHERE parent = ? AND kind = ? ORDER BY id`,
    );

    this.hasEventStmt = db
      .prepare<[string], number>('SELECT 1 FROM events WHERE id = ?')
      .pluck();
    this.getEventStmt = db.prepare(
      'SELECT id, line, outcome, result FROM events WHERE id = ?',
    );
    this.putEventStmt = db.prepare(
      'INSERT OR REPLACE INTO events (id, line, outcome, result) VALUES (?, ?, ?, ?)',
    );

    this.parkStmt = db.prepare(
      'INSERT INTO parked (record_id, event, line) VALUES (?, ?, ?)',
    );
    this.parkedForStmt = db.prepare(
      'SELECT seq, record_id, event, line FROM parked WHERE record_id = ? ORDER BY seq',
    );
    this.unparkStmt = db.prepare('DELETE FROM parked WHERE record_id = ?');
    this.listParkedStmt = db.prepare(
      'SELECT seq, record_id, event, line FROM parked ORDER BY seq',
    );
    this.takeParkedTx = db.transaction((recordId: string) => {
      const rows = this.parkedForStmt.all(recordId);
      if (rows.length > 0) this.unparkStmt.run(recordId);
      return rows.map(toParked);
    });

    this.addConflictStmt = db.prepare(
      `INSERT INTO conflicts (event_id, record_id, line, rules, error, event, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.listConflictsStmt = db.prepare(
      `SELECT seq, event_id, record_id, line, rules, error, event, at
       FROM conflicts ORDER BY seq`,
    );

    this.enqueueStmt = db.prepare(
      'INSERT INTO outbox (event_id, command, created_at) VALUES (?, ?, ?)',
    );
    // LIMIT -1 means no limit in SQLite.
    this.pendingStmt = db.prepare(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox
       WHERE delivered_at IS NULL ORDER BY seq LIMIT ?`,
    );
    this.markDeliveredStmt = db.prepare(
      'UPDATE outbox SET delivered_at = ? WHERE seq = ? AND delivered_at IS NULL',
    );
    this.markDeliveredTx = db.transaction(
      (seqs: readonly number[], deliveredAt: string) => {
        let changed = 0;
        for (const seq of seqs) {
          changed += this.markDeliveredStmt.run(deliveredAt, seq).changes;
        }
        return changed;
      },
    );
    this.listOutboxStmt = db.prepare(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox ORDER BY seq`,
    );
  }

  transaction<T>(fn: () => T): T {
    return this.runInTransaction(fn) as T;
  }

  getRecord(id: string): StoredRecord | undefined {
    const row = this.getRecordStmt.get(id);
    return row === undefined ? undefined : toRecord(row);
  }

  putRecord(record: StoredRecord): void {
    this.putRecordStmt.run(
      record.id,
      record.kind,
      record.key,
      record.parent ?? null,
      JSON.stringify(record.snapshot),
      JSON.stringify(record.versions),
      JSON.stringify(record.views),
    );
  }

  listRecords(filter?: { kind?: RecordKind; parent?: string }): StoredRecord[] {
    const kind = filter?.kind;
    const parent = filter?.parent;
    let rows: RecordRow[];
    if (parent !== undefined && kind !== undefined) {
      rows = this.listRecordsByParentKindStmt.all(parent, kind);
    } else if (parent !== undefined) {
      rows = this.listRecordsByParentStmt.all(parent);
    } else if (kind !== undefined) {
      rows = this.listRecordsByKindStmt.all(kind);
    } else {
      rows = this.listRecordsStmt.all();
    }
    return rows.map(toRecord);
  }

  hasEvent(id: string): boolean {
    return this.hasEventStmt.get(id) !== undefined;
  }

  getEvent(id: string): HandledEvent | undefined {
    const row = this.getEventStmt.get(id);
    return row === undefined ? undefined : toHandledEvent(row);
  }

  putEvent(entry: HandledEvent): void {
    this.putEventStmt.run(
      entry.id,
      entry.line ?? null,
      entry.outcome,
      JSON.stringify(entry.result),
    );
  }

  park(entry: Omit<ParkedEvent, 'seq'>): void {
    this.parkStmt.run(
      entry.recordId,
      JSON.stringify(entry.event),
      entry.line ?? null,
    );
  }

  takeParked(recordId: string): ParkedEvent[] {
    return this.takeParkedTx(recordId);
  }

  listParked(): ParkedEvent[] {
    return this.listParkedStmt.all().map(toParked);
  }

  addConflict(entry: Omit<ConflictEntry, 'seq'>): void {
    this.addConflictStmt.run(
      entry.eventId,
      entry.recordId,
      entry.line ?? null,
      JSON.stringify(entry.rules),
      JSON.stringify(entry.error),
      JSON.stringify(entry.event),
      entry.at,
    );
  }

  listConflicts(): ConflictEntry[] {
    return this.listConflictsStmt.all().map(toConflict);
  }

  enqueue(eventId: string, command: Command, createdAt: string): void {
    this.enqueueStmt.run(eventId, JSON.stringify(command), createdAt);
  }

  pendingCommands(limit?: number): OutboxEntry[] {
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
      throw new RangeError(
        `pendingCommands: limit must be a whole number of 0 or more, got ${String(limit)}`,
      );
    }
    return this.pendingStmt.all(limit ?? -1).map(toOutbox);
  }

  markDelivered(seqs: readonly number[], deliveredAt: string): number {
    if (seqs.length === 0) return 0;
    return this.markDeliveredTx(seqs, deliveredAt);
  }

  listOutbox(): OutboxEntry[] {
    return this.listOutboxStmt.all().map(toOutbox);
  }

  getMeta(name: string): string | undefined {
    const row = this.db
      .prepare('SELECT value FROM meta WHERE key = ?')
      .get(name) as { value: string } | undefined;

    return row?.value;
  }

  setMeta(name: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) the store at `path`, a file or `:memory:`. */
export function openSqliteStore(path: string): SqliteStore {
  return new SqliteStore(path);
}
