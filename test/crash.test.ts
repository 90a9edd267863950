import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../src/engine/engine.js';
import type { Result } from '../src/types.js';
import { BIN, ROOT, removeDir, tempDir } from './support/cli.js';

const ORDERS = 300;
const CUSTOMERS = 60;
const PRODUCTS = 30;
/** The child is killed once it has printed this many results. */
const KILL_AFTER = 1_000;

/**
 * A deterministic log of a few thousand mixed events: customers, products,
 * 300 orders taken through their life (SO-C1…SO-A3, INV-C1…INV-A3) in waves
 * so that orders interleave, a few invalid, duplicate and stale lines, and
 * two events parked until the last lines create their records.
 */
function buildLog(): { lines: string[]; invalid: number; duplicate: number } {
  const lines: string[] = [];
  let next = 0;
  let invalid = 0;
  let duplicate = 0;
  const at = '2026-11-02T09:00:00+07:00';
  const event = (
    source: 'crm' | 'act',
    type: string,
    key: string,
    data: object,
    extra: object = {},
  ) => {
    next += 1;
    const line = JSON.stringify({
      id: `c-${next}`,
      source,
      type,
      at,
      key,
      ...extra,
      data,
    });
    lines.push(line);

    return line;
  };
  const orderData = (i: number) => ({
    revenueStatus: 'draft',
    customer: `KH-${i % CUSTOMERS}`,
    currency: 'VND',
    lines: [
      {
        line: '1',
        product: `SP-${i % PRODUCTS}`,
        quantity: '4',
        unitPrice: '250000',
      },
      {
        line: '2',
        product: `SP-${(i + 1) % PRODUCTS}`,
        quantity: '1',
        unitPrice: '1000000',
      },
    ],
    total: '2000000',
  });

  // Parked until the last lines create DH-LATE and HD-LATE.
  event('act', 'salesOrder.statusUpdated', 'DH-LATE', { status: 'inProgress' });
  event('act', 'invoice.approved', 'HD-LATE', {});

  for (let i = 0; i < CUSTOMERS; i += 1) {
    event('act', 'customer.created', `KH-${i}`, {
      name: `Công ty số ${i}`,
      personal: i % 7 === 0,
      salesEmployee: `NV-${i % 9}`,
    });
  }
  for (let i = 0; i < PRODUCTS; i += 1) {
    event('crm', 'product.created', `SP-${i}`, {
      name: `Sản phẩm ${i}`,
      unit: 'Cái',
      price: String(100_000 * (i + 1)),
    });
  }

  const stages: ((i: number) => void)[] = [
    (i) => event('crm', 'order.created', `DH-${i}`, orderData(i)),
    (i) => {
      const line = event('crm', 'order.proposed', `DH-${i}`, {});
      if (i % 40 === 0) {
        lines.push(line);
        duplicate += 1;
      }
    },
    (i) =>
      event('act', 'salesOrder.revenueRecorded', `DH-${i}`, {
        postingDate: '2026-11-03',
        amount: '2000000',
      }),
    (i) =>
      event(
        'act',
        'salesOrder.statusUpdated',
        `DH-${i}`,
        { status: 'inProgress' },
        { version: 1 },
      ),
    (i) =>
      event('act', 'salesOrder.fulfilmentUpdated', `DH-${i}`, {
        lines: [{ line: '1', deliveredQuantity: '2' }],
        receivedAmount: '500000',
      }),
    (i) =>
      event('crm', 'invoice.created', `HD-${i}`, {
        order: `DH-${i}`,
        status: 'draft',
        amount: '2000000',
      }),
    (i) => event('crm', 'invoice.proposed', `HD-${i}`, {}),
    (i) => event('act', 'invoice.approved', `HD-${i}`, {}),
    (i) =>
      event('act', 'invoice.issued', `HD-${i}`, {
        number: String(i).padStart(7, '0'),
        date: '2026-11-06',
      }),
    (i) =>
      event('act', 'salesOrder.fulfilmentUpdated', `DH-${i}`, {
        lines: [
          { line: '1', deliveredQuantity: '4' },
          { line: '2', deliveredQuantity: '1' },
        ],
        invoicedAmount: '2000000',
        receivedAmount: '2000000',
        remainingAmount: '0',
      }),
    (i) => {
      event(
        'act',
        'salesOrder.statusUpdated',
        `DH-${i}`,
        { status: 'completed' },
        { version: 2 },
      );
      if (i % 25 === 0) {
        // Stale: an older version arriving late.
        event(
          'act',
          'salesOrder.statusUpdated',
          `DH-${i}`,
          { status: 'notStarted' },
          { version: 1 },
        );
      }
    },
  ];

  const wave = 50;
  for (let first = 0; first < ORDERS; first += wave) {
    for (const stage of stages) {
      for (let i = first; i < first + wave; i += 1) stage(i);
    }
    lines.push(`{"id":"broken-${first}","source":"crm",`);
    event('crm', 'order.teleported', `DH-${first}`, {});
    invalid += 2;
  }

  event('crm', 'order.created', 'DH-LATE', orderData(1));
  event('crm', 'invoice.created', 'HD-LATE', {
    order: 'DH-LATE',
    status: 'proposed',
    amount: '2000000',
  });

  return { lines, invalid, duplicate };
}

/** Records as the engine reports them, without anything run-dependent. */
function recordsOf(engine: Engine) {
  return engine.records().map((record) => ({
    id: record.id,
    kind: record.kind,
    key: record.key,
    parent: record.parent,
    statuses: record.statuses,
    context: record.context,
  }));
}

/** The outbox without its sequence numbers and times. */
function outboxOf(engine: Engine) {
  return engine.outbox
    .all()
    .map((entry) => ({ eventId: entry.eventId, command: entry.command }));
}

function withEngine<T>(db: string, read: (engine: Engine) => T): T {
  const engine = createEngine({ store: db });
  try {
    return read(engine);
  } finally {
    engine.close();
  }
}

/** Runs a replay into `db` as a child and SIGKILLs it mid-run. */
function replayAndKill(
  file: string,
  db: string,
): Promise<{ signal: NodeJS.Signals | null; printed: Result[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'replay', file, '--db', db, '--json'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      if (!killed && text.split('\n').length - 1 >= KILL_AFTER) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      const printed = complete
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Result);
      resolve({ signal, printed });
    });
  });
}

function replayToEnd(file: string, db: string) {
  const run = spawnSync(
    process.execPath,
    [BIN, 'replay', file, '--db', db, '--json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const lines = run.stdout.trim().split('\n');
  const last = JSON.parse(lines[lines.length - 1]!) as {
    summary: Record<string, number>;
  };

  return { code: run.status, stderr: run.stderr, summary: last.summary };
}

describe('a replay killed midway and run again', () => {
  let dir: string;
  let file: string;
  let built: ReturnType<typeof buildLog>;
  let dbA: string;
  let dbB: string;
  let uninterrupted: ReturnType<typeof replayToEnd>;
  let killed: Awaited<ReturnType<typeof replayAndKill>>;
  let partial: { outbox: number; handled: boolean[]; records: number };
  let resumed: ReturnType<typeof replayToEnd>;

  beforeAll(async () => {
    dir = tempDir('lienthong-crash-');
    file = path.join(dir, 'mixed.jsonl');
    built = buildLog();
    fs.writeFileSync(file, built.lines.join('\n') + '\n');
    dbA = path.join(dir, 'a.db');
    dbB = path.join(dir, 'b.db');

    uninterrupted = replayToEnd(file, dbA);
    killed = await replayAndKill(file, dbB);
    partial = withEngine(dbB, (engine) => ({
      outbox: engine.outbox.all().length,
      handled: killed.printed
        .filter((result) => result.event !== null)
        .filter((result) => result.outcome !== 'invalid')
        .map((result) => engine.store.hasEvent(result.event!)),
      records: engine.records().length,
    }));
    resumed = replayToEnd(file, dbB);
  });
  afterAll(() => removeDir(dir));

  it('handles the whole log when nothing stops it, with no progress bar off a terminal', () => {
    expect(built.lines.length).toBeGreaterThan(3_000);
    expect(uninterrupted.code).toBe(0);
    expect(uninterrupted.stderr).toBe('');
    expect(uninterrupted.summary).toMatchObject({
      events: built.lines.length,
      invalid: built.invalid,
      duplicate: built.duplicate,
      parked: 0,
    });
    expect(uninterrupted.summary.stale).toBeGreaterThan(0);
  });

  it('leaves a partial store when killed, holding every result it printed', () => {
    const total = withEngine(dbA, (engine) => engine.outbox.all().length);

    expect(killed.signal).toBe('SIGKILL');
    expect(killed.printed.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(partial.outbox).toBeGreaterThan(0);
    expect(partial.outbox).toBeLessThan(total);
    expect(partial.handled.length).toBeGreaterThan(0);
    expect(partial.handled.every(Boolean)).toBe(true);
  });

  it('ends with the same records as the uninterrupted replay once run again', () => {
    const a = withEngine(dbA, recordsOf);
    const b = withEngine(dbB, recordsOf);

    expect(resumed.code).toBe(0);
    expect(b.length).toBe(a.length);
    expect(b).toEqual(a);
    expect(a.find((record) => record.id === 'order:DH-LATE')?.statuses).toEqual(
      {
        revenue: 'draft',
        delivery: 'notDelivered',
        payment: 'unpaid',
        status: 'inProgress',
      },
    );
  });

  it('ends with the same outbox, in the same order, once run again', () => {
    const a = withEngine(dbA, outboxOf);
    const b = withEngine(dbB, outboxOf);

    expect(b).toEqual(a);
  });

  it('queues no command twice for one event across the crash', () => {
    const b = withEngine(dbB, outboxOf);
    const keys = b.map(
      (entry) => `${entry.eventId} ${JSON.stringify(entry.command)}`,
    );

    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps the same conflicts and no parked event once run again', () => {
    const conflictsOf = (engine: Engine) =>
      engine.conflicts().map(({ eventId, recordId, rules, error }) => ({
        eventId,
        recordId,
        rules,
        error,
      }));

    expect(withEngine(dbB, conflictsOf)).toEqual(withEngine(dbA, conflictsOf));
    expect(withEngine(dbB, (engine) => engine.parked())).toEqual([]);
  });
});
