import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SCHEMA_VERSION,
  SqliteStore,
  openSqliteStore,
} from '../src/store/sqlite.js';
import type {
  ConflictEntry,
  HandledEvent,
  StoredRecord,
} from '../src/store/store.js';
import type { Command, Result, SyncEvent } from '../src/types.js';

const order: StoredRecord = {
  id: 'order:DH-0001',
  kind: 'order',
  key: 'DH-0001',
  snapshot: {
    status: 'active',
    value: 'confirmed',
    context: { total: '150000' },
  },
  versions: { crm: 3 },
  views: { crm: { total: '150000' }, act: {} },
};

const invoice: StoredRecord = {
  id: 'invoice:HD-0001',
  kind: 'invoice',
  key: 'HD-0001',
  parent: 'order:DH-0001',
  snapshot: { status: 'active', value: 'issued', context: {} },
  versions: { crm: 1, act: 2 },
  views: { crm: {}, act: { number: 'HD-0001', lines: [1, 2, null] } },
};

const cancellation: StoredRecord = {
  id: 'cancellation:DH-0001',
  kind: 'cancellation',
  key: 'DH-0001',
  parent: 'order:DH-0001',
  snapshot: { status: 'active', value: 'requested', context: {} },
  versions: {},
  views: { crm: {}, act: {} },
};

function syncEvent(id: string, key = 'DH-0001'): SyncEvent {
  return {
    id,
    source: 'crm',
    type: 'order.updated',
    at: '2025-01-02T03:04:05Z',
    key,
    version: 4,
    data: { note: 'Giao hàng trước Tết', amount: '12.50' },
  };
}

function command(key: string): Command {
  return {
    target: 'act',
    type: 'salesOrder.update',
    rule: 'R-ORD-2',
    key,
    data: { total: '150000' },
  };
}

const appliedResult: Result = {
  line: 7,
  event: 'ev-1',
  outcome: 'applied',
  rules: ['R-ORD-2'],
  commands: [command('DH-0001')],
  notices: [{ code: 'ROUNDED', message: 'Amount rounded', amount: '0.01' }],
};

describe('SqliteStore', () => {
  let dir: string;
  let store: SqliteStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-store-'));
    store = openSqliteStore(':memory:');
  });

  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('records', () => {
    it('returns undefined for a record that was never put', () => {
      expect(store.getRecord('order:none')).toBeUndefined();
    });

    it('round-trips a record with and without a parent', () => {
      store.putRecord(order);
      store.putRecord(invoice);
      expect(store.getRecord(order.id)).toEqual(order);
      expect(store.getRecord(invoice.id)).toEqual(invoice);
      expect(Object.keys(store.getRecord(order.id) ?? {})).not.toContain(
        'parent',
      );
    });

    it('replaces parent, snapshot, versions and views when a record is put again', () => {
      store.putRecord(invoice);
      const moved: StoredRecord = {
        ...invoice,
        parent: 'order:DH-0002',
        snapshot: order.snapshot,
        versions: { act: 9 },
        views: order.views,
      };
      store.putRecord(moved);
      expect(store.getRecord(invoice.id)).toEqual(moved);
      expect(store.listRecords()).toHaveLength(1);
    });

    it('keeps values about itself', () => {
      expect(store.getMeta('orderTarget')).toBeUndefined();
      store.setMeta('orderTarget', 'contract');
      expect(store.getMeta('orderTarget')).toBe('contract');
    });

    it('lists records in id order, filtered by kind, parent or both', () => {
      const other: StoredRecord = {
        ...invoice,
        id: 'invoice:HD-0002',
        key: 'HD-0002',
        parent: 'order:DH-0002',
      };
      store.putRecord(other);
      store.putRecord(order);
      store.putRecord(invoice);
      store.putRecord(cancellation);

      expect(store.listRecords().map((r) => r.id)).toEqual([
        'cancellation:DH-0001',
        'invoice:HD-0001',
        'invoice:HD-0002',
        'order:DH-0001',
      ]);
      expect(store.listRecords({ kind: 'invoice' })).toEqual([invoice, other]);
      expect(store.listRecords({ parent: 'order:DH-0001' })).toEqual([
        cancellation,
        invoice,
      ]);
      expect(
        store.listRecords({ parent: 'order:DH-0001', kind: 'invoice' }),
      ).toEqual([invoice]);
      expect(store.listRecords({ kind: 'quote' })).toEqual([]);
      expect(store.listRecords({})).toHaveLength(4);
    });
  });

  describe('events', () => {
    it('reports an event as unknown until it is put', () => {
      expect(store.hasEvent('ev-1')).toBe(false);
      expect(store.getEvent('ev-1')).toBeUndefined();
    });

    it('round-trips a handled event with and without a line', () => {
      const withLine: HandledEvent = {
        id: 'ev-1',
        line: 7,
        outcome: 'applied',
        result: appliedResult,
      };
      const withoutLine: HandledEvent = {
        id: 'ev-2',
        outcome: 'invalid',
        result: {
          event: null,
          outcome: 'invalid',
          rules: [],
          commands: [],
          notices: [],
          error: { code: 'BAD_KEY', message: 'Key is empty', field: 'key' },
        },
      };
      store.putEvent(withLine);
      store.putEvent(withoutLine);
      expect(store.hasEvent('ev-1')).toBe(true);
      expect(store.getEvent('ev-1')).toEqual(withLine);
      expect(store.getEvent('ev-2')).toEqual(withoutLine);
      expect(Object.keys(store.getEvent('ev-2') ?? {})).not.toContain('line');
    });

    it('replaces the result kept for an event id when it is put again', () => {
      store.putEvent({
        id: 'ev-1',
        line: 7,
        outcome: 'applied',
        result: appliedResult,
      });
      const again: HandledEvent = {
        id: 'ev-1',
        outcome: 'duplicate',
        result: { ...appliedResult, outcome: 'duplicate', commands: [] },
      };
      store.putEvent(again);
      expect(store.getEvent('ev-1')).toEqual(again);
    });
  });

  describe('parked events', () => {
    it('takes a record’s parked events in arrival order and leaves others', () => {
      store.park({ recordId: 'order:DH-0001', event: syncEvent('a'), line: 1 });
      store.park({
        recordId: 'order:DH-0002',
        event: syncEvent('b', 'DH-0002'),
      });
      store.park({ recordId: 'order:DH-0001', event: syncEvent('c'), line: 3 });
      store.park({ recordId: 'order:DH-0001', event: syncEvent('d') });

      const taken = store.takeParked('order:DH-0001');
      expect(taken.map((p) => p.event.id)).toEqual(['a', 'c', 'd']);
      expect(taken[0]).toEqual({
        seq: 1,
        recordId: 'order:DH-0001',
        event: syncEvent('a'),
        line: 1,
      });
      expect(taken[2]).toEqual({
        seq: 4,
        recordId: 'order:DH-0001',
        event: syncEvent('d'),
      });
      expect(store.takeParked('order:DH-0001')).toEqual([]);
      expect(store.listParked()).toEqual([
        {
          seq: 2,
          recordId: 'order:DH-0002',
          event: syncEvent('b', 'DH-0002'),
        },
      ]);
    });

    it('lists every parked event in arrival order', () => {
      store.park({ recordId: 'order:B', event: syncEvent('x', 'B') });
      store.park({ recordId: 'order:A', event: syncEvent('y', 'A'), line: 9 });
      expect(store.listParked()).toEqual([
        { seq: 1, recordId: 'order:B', event: syncEvent('x', 'B') },
        { seq: 2, recordId: 'order:A', event: syncEvent('y', 'A'), line: 9 },
      ]);
    });

    it('keeps parked events when the transaction that took them throws', () => {
      store.park({ recordId: 'order:DH-0001', event: syncEvent('a') });
      expect(() =>
        store.transaction(() => {
          expect(store.takeParked('order:DH-0001')).toHaveLength(1);
          throw new Error('replay failed');
        }),
      ).toThrow('replay failed');
      expect(store.listParked()).toHaveLength(1);
    });
  });

  describe('conflicts', () => {
    it('round-trips conflicts in the order they were added', () => {
      const first: Omit<ConflictEntry, 'seq'> = {
        eventId: 'ev-1',
        recordId: 'order:DH-0001',
        line: 4,
        rules: ['R-ORD-5', 'R-ORD-6'],
        error: { code: 'BOTH_CHANGED', message: 'Both apps changed total' },
        event: syncEvent('ev-1'),
        at: '2025-01-02T03:04:06Z',
      };
      const second: Omit<ConflictEntry, 'seq'> = {
        eventId: 'ev-2',
        recordId: 'order:DH-0002',
        rules: [],
        error: { code: 'LOCKED', message: 'Order is locked', field: 'total' },
        event: syncEvent('ev-2', 'DH-0002'),
        at: '2025-01-02T03:04:07Z',
      };
      store.addConflict(first);
      store.addConflict(second);
      expect(store.listConflicts()).toEqual([
        { seq: 1, ...first },
        { seq: 2, ...second },
      ]);
    });
  });

  describe('outbox', () => {
    beforeEach(() => {
      store.enqueue('ev-1', command('A'), '2025-01-01T00:00:01Z');
      store.enqueue('ev-1', command('B'), '2025-01-01T00:00:02Z');
      store.enqueue('ev-2', command('C'), '2025-01-01T00:00:03Z');
    });

    it('returns every pending command in queue order when no limit is given', () => {
      expect(store.pendingCommands()).toEqual([
        {
          seq: 1,
          eventId: 'ev-1',
          command: command('A'),
          createdAt: '2025-01-01T00:00:01Z',
        },
        {
          seq: 2,
          eventId: 'ev-1',
          command: command('B'),
          createdAt: '2025-01-01T00:00:02Z',
        },
        {
          seq: 3,
          eventId: 'ev-2',
          command: command('C'),
          createdAt: '2025-01-01T00:00:03Z',
        },
      ]);
    });

    it('returns at most limit pending commands when a limit is given', () => {
      expect(store.pendingCommands(2).map((e) => e.seq)).toEqual([1, 2]);
      expect(store.pendingCommands(0)).toEqual([]);
      expect(store.pendingCommands(10)).toHaveLength(3);
    });

    it('rejects a limit that is negative or fractional', () => {
      expect(() => store.pendingCommands(-1)).toThrow(RangeError);
      expect(() => store.pendingCommands(1.5)).toThrow(RangeError);
    });

    it('skips delivered commands in pending and keeps them in the outbox list', () => {
      expect(store.markDelivered([2], '2025-01-01T00:01:00Z')).toBe(1);
      expect(store.pendingCommands().map((e) => e.seq)).toEqual([1, 3]);
      expect(store.listOutbox()).toEqual([
        {
          seq: 1,
          eventId: 'ev-1',
          command: command('A'),
          createdAt: '2025-01-01T00:00:01Z',
        },
        {
          seq: 2,
          eventId: 'ev-1',
          command: command('B'),
          createdAt: '2025-01-01T00:00:02Z',
          deliveredAt: '2025-01-01T00:01:00Z',
        },
        {
          seq: 3,
          eventId: 'ev-2',
          command: command('C'),
          createdAt: '2025-01-01T00:00:03Z',
        },
      ]);
    });

    it('counts a command once when it is marked delivered twice', () => {
      expect(store.markDelivered([1, 1, 2], '2025-01-01T00:01:00Z')).toBe(2);
      expect(store.markDelivered([1, 2, 3], '2025-01-01T00:02:00Z')).toBe(1);
      expect(store.markDelivered([1, 2, 3], '2025-01-01T00:03:00Z')).toBe(0);
      expect(store.listOutbox().map((e) => e.deliveredAt)).toEqual([
        '2025-01-01T00:01:00Z',
        '2025-01-01T00:01:00Z',
        '2025-01-01T00:02:00Z',
      ]);
    });

    it('counts nothing when the seqs are empty or unknown', () => {
      expect(store.markDelivered([], '2025-01-01T00:01:00Z')).toBe(0);
      expect(store.markDelivered([42], '2025-01-01T00:01:00Z')).toBe(0);
      expect(store.pendingCommands()).toHaveLength(3);
    });
  });

  describe('transaction', () => {
    it('returns the value of its function and commits its writes', () => {
      const value = store.transaction(() => {
        store.putRecord(order);
        return 42;
      });
      expect(value).toBe(42);
      expect(store.getRecord(order.id)).toEqual(order);
    });

    it('rolls back every write and rethrows the same error when its function throws', () => {
      const boom = new Error('boom');
      let caught: unknown;
      try {
        store.transaction(() => {
          store.putRecord(order);
          store.putEvent({
            id: 'ev-1',
            outcome: 'applied',
            result: appliedResult,
          });
          store.park({ recordId: 'order:X', event: syncEvent('p', 'X') });
          store.addConflict({
            eventId: 'ev-1',
            recordId: order.id,
            rules: [],
            error: { code: 'X', message: 'x' },
            event: syncEvent('ev-1'),
            at: '2025-01-01T00:00:00Z',
          });
          store.enqueue('ev-1', command('A'), '2025-01-01T00:00:00Z');
          throw boom;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(boom);
      expect(store.listRecords()).toEqual([]);
      expect(store.hasEvent('ev-1')).toBe(false);
      expect(store.listParked()).toEqual([]);
      expect(store.listConflicts()).toEqual([]);
      expect(store.listOutbox()).toEqual([]);
    });

    it('rolls back a nested transaction that throws while the outer one commits', () => {
      store.transaction(() => {
        store.putRecord(order);
        expect(() =>
          store.transaction(() => {
            store.putRecord(invoice);
            store.enqueue('ev-1', command('A'), '2025-01-01T00:00:00Z');
            throw new Error('inner');
          }),
        ).toThrow('inner');
        store.putEvent({
          id: 'ev-1',
          outcome: 'applied',
          result: appliedResult,
        });
      });
      expect(store.listRecords()).toEqual([order]);
      expect(store.listOutbox()).toEqual([]);
      expect(store.hasEvent('ev-1')).toBe(true);
    });

    it('rolls back a committed nested transaction when the outer one throws', () => {
      expect(() =>
        store.transaction(() => {
          store.transaction(() => {
            store.putRecord(order);
          });
          throw new Error('outer');
        }),
      ).toThrow('outer');
      expect(store.getRecord(order.id)).toBeUndefined();
    });
  });

  describe('file database', () => {
    it('keeps everything when the file is closed and reopened', () => {
      const file = path.join(dir, 'store.db');
      const first = openSqliteStore(file);
      first.putRecord(order);
      first.putRecord(invoice);
      first.putEvent({
        id: 'ev-1',
        line: 2,
        outcome: 'applied',
        result: appliedResult,
      });
      first.park({ recordId: 'order:X', event: syncEvent('p', 'X'), line: 5 });
      first.addConflict({
        eventId: 'ev-9',
        recordId: order.id,
        rules: ['R-ORD-5'],
        error: { code: 'BOTH_CHANGED', message: 'x' },
        event: syncEvent('ev-9'),
        at: '2025-01-01T00:00:00Z',
      });
      first.enqueue('ev-1', command('A'), '2025-01-01T00:00:01Z');
      first.enqueue('ev-1', command('B'), '2025-01-01T00:00:02Z');
      first.markDelivered([1], '2025-01-01T00:00:03Z');
      const before = {
        records: first.listRecords(),
        event: first.getEvent('ev-1'),
        parked: first.listParked(),
        conflicts: first.listConflicts(),
        outbox: first.listOutbox(),
      };
      first.close();

      const second = openSqliteStore(file);
      try {
        expect({
          records: second.listRecords(),
          event: second.getEvent('ev-1'),
          parked: second.listParked(),
          conflicts: second.listConflicts(),
          outbox: second.listOutbox(),
        }).toEqual(before);
        expect(before.records).toEqual([invoice, order]);
        expect(second.pendingCommands().map((e) => e.seq)).toEqual([2]);
        second.enqueue('ev-2', command('C'), '2025-01-01T00:00:04Z');
        expect(second.listOutbox().map((e) => e.seq)).toEqual([1, 2, 3]);
      } finally {
        second.close();
      }
    });

    it('shows a commit to another store open on the same file', () => {
      const file = path.join(dir, 'shared.db');
      const writer = openSqliteStore(file);
      const reader = openSqliteStore(file);
      try {
        writer.putRecord(order);
        expect(reader.getRecord(order.id)).toEqual(order);
      } finally {
        writer.close();
        reader.close();
      }
    });

    it('puts a file database in WAL mode and records the schema version', () => {
      const file = path.join(dir, 'wal.db');
      openSqliteStore(file).close();
      const raw = new Database(file, { readonly: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(
          raw
            .prepare("SELECT value FROM meta WHERE key = 'schema_version'")
            .pluck()
            .get(),
        ).toBe(String(SCHEMA_VERSION));
      } finally {
        raw.close();
      }
    });

    it('throws an error naming the file and both versions when the schema version differs', () => {
      const file = path.join(dir, 'old.db');
      openSqliteStore(file).close();
      const raw = new Database(file);
      raw
        .prepare("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        .run();
      raw.close();

      expect(() => openSqliteStore(file)).toThrow(
        `Store ${file} has schema version 2; this lienthong expects version 1.`,
      );
    });

    it('refuses a file that holds other tables but no schema version', () => {
      const file = path.join(dir, 'foreign.db');
      const raw = new Database(file);
      raw.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
      raw.close();

      expect(() => openSqliteStore(file)).toThrow(
        `Store ${file} holds tables but no lienthong schema version`,
      );
      const check = new Database(file, { readonly: true });
      try {
        expect(
          check
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .pluck()
            .all(),
        ).toEqual(['customers']);
      } finally {
        check.close();
      }
    });
  });

  describe('close', () => {
    it('is harmless when called twice', () => {
      const file = path.join(dir, 'twice.db');
      const local = openSqliteStore(file);
      local.close();
      expect(() => local.close()).not.toThrow();
    });

    it('makes later calls throw instead of reading a closed database', () => {
      const local = openSqliteStore(':memory:');
      local.close();
      expect(() => local.getRecord('order:DH-0001')).toThrow();
    });
  });
});
