import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, openSqliteStore } from '../index.js';
import { BIN, EXAMPLES, cli, removeDir, tempDir } from './support/cli.js';

const SALES = path.join(EXAMPLES, 'sales-order-lifecycle.jsonl');
const CONTRACT = path.join(EXAMPLES, 'contract-lifecycle.jsonl');

let dir: string;

beforeEach(() => {
  dir = tempDir();
});

afterEach(() => {
  removeDir(dir);
});

describe('one store, one connection', () => {
  it('refuses a store kept for Sales Orders when the replay asks for Contracts', () => {
    const db = path.join(dir, 'sync.db');
    expect(cli(['replay', SALES, '--db', db, '--json']).code).toBe(0);

    const run = cli(['replay', CONTRACT, '--db', db, '--target', 'contract']);

    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/keeps orders as salesOrder/);
    const state = cli(['state', '--db', db, '--json']);
    expect(state.stdout).not.toMatch(/HDB-0042/);
  });

  it('reads a Contract store back without being told its target', () => {
    const db = path.join(dir, 'sync.db');
    cli(['replay', CONTRACT, '--db', db, '--target', 'contract', '--json']);

    const outbox = cli(['outbox', '--db', db, '--json']);
    const state = cli(['state', '--db', db, '--json']);

    expect(outbox.code).toBe(0);
    expect(state.code).toBe(0);
    expect(state.stdout).not.toMatch(/"delivery"/);
  });

  it('throws from createEngine for an unknown or mismatched orderTarget', () => {
    const db = path.join(dir, 'lib.db');
    createEngine({ store: db, orderTarget: 'contract' }).close();

    expect(() =>
      createEngine({ store: db, orderTarget: 'salesOrder' }),
    ).toThrow(/keeps orders as contract/);
    expect(() =>
      createEngine({ orderTarget: 'bogus' as unknown as 'contract' }),
    ).toThrow(/orderTarget must be/);
  });
});

describe('a store that cannot write', () => {
  it('stops the run instead of reporting events as invalid', () => {
    const store = openSqliteStore(':memory:');
    const readOnly = new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'putRecord') {
          return () => {
            throw Object.assign(
              new Error('attempt to write a readonly database'),
              {
                code: 'SQLITE_READONLY',
              },
            );
          };
        }
        const value = Reflect.get(target, name, receiver) as unknown;

        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const engine = createEngine({ store: readOnly });
    const seen: string[] = [];

    expect(() =>
      engine.run(
        [
          {
            value: {
              id: 'p-1',
              source: 'crm',
              type: 'product.created',
              at: '2026-11-02T09:00:00+07:00',
              key: 'SP-1',
              data: { name: 'Ghế' },
            },
          },
        ],
        { onResult: (result) => seen.push(result.outcome) },
      ),
    ).toThrow(/readonly/);
    expect(seen).toEqual([]);
    expect(store.hasEvent('p-1')).toBe(false);
  });
});

describe('replay --inspect', () => {
  it('exits 2 with one line when the port is taken', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;

    try {
      const run = cli([
        'replay',
        SALES,
        '--inspect',
        '--inspect-port',
        String(port),
      ]);

      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        `lienthong: port ${port} on 127.0.0.1 is in use: pick another with --inspect-port`,
      ]);
    } finally {
      busy.close();
    }
  });
});

describe('output errors', () => {
  it.skipIf(!fs.existsSync('/dev/full'))(
    'exits 2 when stdout cannot be written (a full disk)',
    () => {
      const full = fs.openSync('/dev/full', 'w');
      try {
        const run = spawnSync(
          process.execPath,
          [BIN, 'replay', SALES, '--json'],
          { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' },
        );

        expect(run.status).toBe(2);
        expect(run.stderr).toMatch(/cannot write to stdout/);
      } finally {
        fs.closeSync(full);
      }
    },
  );
});

describe('replay table', () => {
  it('shows the state right after each event, before the parked events it releases', () => {
    const log = [
      {
        id: 'r-1',
        source: 'act',
        type: 'salesOrder.revenueRecorded',
        at: '2026-11-03T10:00:00+07:00',
        key: 'DH-0001',
        data: { postingDate: '2026-11-03', amount: '100000' },
      },
      {
        id: 'r-2',
        source: 'crm',
        type: 'order.created',
        at: '2026-11-02T09:00:00+07:00',
        key: 'DH-0001',
        data: {
          revenueStatus: 'proposed',
          lines: [{ line: '1', quantity: '1', unitPrice: '100000' }],
        },
      },
    ]
      .map((event) => JSON.stringify(event))
      .join('\n');

    const run = cli(['replay', '-'], `${log}\n`);
    const rows = run.stdout.split('\n');
    const created = rows.find((row) => /^\s+2\s+r-2/.test(row));
    const released = rows.find((row) => /^\s+1\s+r-1\s+applied/.test(row));

    expect(run.code).toBe(0);
    expect(created).toMatch(/Đề nghị ghi/);
    expect(released).toMatch(/Đã ghi doanh số/);
  });
});

describe('replay --html', () => {
  it('refuses to overwrite the input log or the store', () => {
    const log = path.join(dir, 'log.jsonl');
    fs.copyFileSync(SALES, log);
    const db = path.join(dir, 'sync.db');

    const overLog = cli(['replay', log, '--html', log]);
    const overDb = cli(['replay', log, '--db', db, '--html', db]);

    expect(overLog.code).toBe(2);
    expect(overLog.stderr).toMatch(/would overwrite the input log/);
    expect(fs.readFileSync(log, 'utf8')).toBe(fs.readFileSync(SALES, 'utf8'));
    expect(overDb.code).toBe(2);
    expect(overDb.stderr).toMatch(/would overwrite the --db store/);
  });
});
