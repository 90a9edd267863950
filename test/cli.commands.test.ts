import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { ConflictEntry, OutboxEntry } from '../src/store/store.js';
import {
  EXAMPLES,
  ROOT,
  cli,
  inProcess,
  removeDir,
  replayJson,
  tempDir,
  type CliRun,
} from './support/cli.js';

const SALES = path.join(EXAMPLES, 'sales-order-lifecycle.jsonl');
const CONTRACT = path.join(EXAMPLES, 'contract-lifecycle.jsonl');
const CUSTOMERS = path.join(EXAMPLES, 'customers-and-products.jsonl');
const BAD = path.join(EXAMPLES, 'bad-input.jsonl');

/** The lines of stderr, without the final newline. */
function stderrLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line !== '');
}

/** A usage or I/O error: exit 2, one `lienthong: …` line, no stack. */
function expectOneLineError(run: CliRun, pattern: RegExp) {
  expect(run.code).toBe(2);
  const lines = stderrLines(run);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^lienthong: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).toBe('');
}

function jsonLines<T>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

describe('lienthong replay exit codes', () => {
  it('exits 0 when a file with bad lines was processed, 1 with --strict', () => {
    const plain = cli(['replay', BAD, '--json']);
    const strict = cli(['replay', BAD, '--strict', '--json']);

    expect(plain.code).toBe(0);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('');
    expect(strict.stdout).toBe(plain.stdout);
  });

  it('exits 1 with --strict when a line ends in a conflict (CUS-A1)', () => {
    expect(cli(['replay', CUSTOMERS, '--strict']).code).toBe(1);
  });

  it('exits 0 with --strict when every line was applied', () => {
    expect(cli(['replay', SALES, '--strict']).code).toBe(0);
  });

  it('exits 2 with one line when the file is missing, and creates no store', () => {
    const db = path.join(dir, 'never.db');
    const run = cli(['replay', path.join(dir, 'missing.jsonl'), '--db', db]);

    expectOneLineError(run, /missing\.jsonl: no such file/);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('exits 2 with one line when the file is a directory', async () => {
    expectOneLineError(await inProcess(['replay', dir]), /is a directory/);
  });

  it('exits 2 with one line on an unknown flag', () => {
    expectOneLineError(cli(['replay', SALES, '--bogus']), /--bogus/);
  });

  it('exits 2 with one line on a bad --target', async () => {
    const run = await inProcess(['replay', SALES, '--target', 'invoice']);

    expectOneLineError(run, /--target 'invoice'/);
  });

  it('exits 2 with one line when --db is not a store', () => {
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database, just text\n'.repeat(200));

    expectOneLineError(
      cli(['replay', SALES, '--db', junk]),
      /cannot open store/,
    );
  });

  it('exits 2 with one line when no file is given', async () => {
    expectOneLineError(await inProcess(['replay']), /give the log file/);
  });

  it('exits 2 with one line on an unknown command', async () => {
    expectOneLineError(
      await inProcess(['frobnicate']),
      /unknown command 'frobnicate'/,
    );
  });
});

describe('lienthong unexpected errors', () => {
  it('exits 2 with one line when reading stdin fails midway', async () => {
    let err = '';
    const stdin = new Readable({
      read() {
        this.destroy(new Error('device went away'));
      },
    });
    const code = await main(['replay', '-'], {
      out: () => {},
      err: (text) => {
        err += text;
      },
      stdin,
      errIsTTY: false,
    });

    expect(code).toBe(2);
    expect(err).toBe('lienthong: unexpected error: device went away\n');
  });
});

describe('lienthong replay input and output', () => {
  it('reads stdin when the file is -', () => {
    const run = replayJson('-', [], fs.readFileSync(SALES, 'utf8'));

    expect(run.code).toBe(0);
    expect(run.results.map((result) => result.event)).toEqual(
      Array.from(
        { length: 14 },
        (_, i) => `so-${String(i + 1).padStart(2, '0')}`,
      ),
    );
    expect(run.results.map((result) => result.line)).toEqual(
      Array.from({ length: 14 }, (_, i) => i + 1),
    );
    expect(run.last.summary).toMatchObject({ events: 14, applied: 14 });
  });

  it('prints only JSON lines on stdout with --json, the summary last', () => {
    const run = replayJson(BAD);

    expect(run.results).toHaveLength(12);
    expect(Object.keys(run.last)).toEqual(['summary', 'records']);
    expect(Object.keys(run.last.summary)).toEqual([
      'events',
      'applied',
      'duplicate',
      'stale',
      'invalid',
      'conflict',
      'parked',
    ]);
  });

  it('sends no quote to ACT with --no-sync-quotes (QUO-C1)', () => {
    const run = replayJson(CUSTOMERS, ['--no-sync-quotes']);
    const quote = run.results.find((result) => result.event === 'cp-15')!;

    expect(quote.outcome).toBe('applied');
    expect(quote.rules).toEqual(['QUO-C1']);
    expect(quote.commands).toEqual([]);
    expect(run.last.records['quote:BG-0007']).toEqual({ link: 'crmOnly' });
  });

  it('reports Contract events as invalid without --target contract', () => {
    const run = replayJson(CONTRACT);
    const invalid = run.results.filter((r) => r.outcome === 'invalid');

    // ct-03…ct-05 and ct-07…ct-11 are contract.* events; ct-06 is an order one.
    expect(invalid.map((r) => r.event)).toEqual([
      'ct-03',
      'ct-04',
      'ct-05',
      'ct-07',
      'ct-08',
      'ct-09',
      'ct-10',
      'ct-11',
    ]);
  });

  it('reports every line of a replay into the same --db again as duplicate', () => {
    const db = path.join(dir, 'twice.db');
    replayJson(SALES, ['--db', db]);
    const again = replayJson(SALES, ['--db', db]);

    expect(again.last.summary).toMatchObject({ events: 14, duplicate: 14 });
    expect(again.results.every((result) => result.commands.length === 0)).toBe(
      true,
    );
    expect(again.last.records).toEqual({});
  });
});

describe('lienthong state, outbox and conflicts on a --db store', () => {
  let sales: string;
  let customers: string;
  let contract: string;
  beforeAll(() => {
    sales = path.join(dir, 'sales.db');
    customers = path.join(dir, 'customers.db');
    contract = path.join(dir, 'contract.db');
    expect(cli(['replay', SALES, '--db', sales]).code).toBe(0);
    expect(cli(['replay', CUSTOMERS, '--db', customers]).code).toBe(0);
    expect(
      cli(['replay', CONTRACT, '--db', contract, '--target', 'contract']).code,
    ).toBe(0);
  });

  it('state lists every record with its status codes and labels', () => {
    const run = cli(['state', '--db', sales, '--json']);
    const records = jsonLines<{
      id: string;
      parent?: string;
      statuses: Record<string, string>;
      labels: Record<string, string>;
    }>(run.stdout);

    expect(run.code).toBe(0);
    expect(records.map((record) => record.id)).toEqual([
      'order:DH-0001',
      'invoice:HD-0001',
      'customer:KH-0001',
      'product:SP-BAN',
      'product:SP-GHE',
    ]);
    expect(records[0]!.labels).toEqual({
      revenue: 'Đã ghi doanh số',
      delivery: 'Đã giao hàng',
      payment: 'Đã thanh toán',
      status: 'Đã hoàn thành',
    });
    expect(records[1]).toMatchObject({
      parent: 'order:DH-0001',
      statuses: { invoice: 'issued' },
      labels: { invoice: 'Đã xuất' },
    });
  });

  it('state lists an order invoices under it for people', () => {
    const run = cli(['state', '--db', sales]);
    const lines = run.stdout.split('\n');
    const order = lines.findIndex((line) => line.startsWith('order:DH-0001'));
    const invoice = lines.findIndex((line) =>
      line.startsWith('  invoice:HD-0001'),
    );

    expect(run.code).toBe(0);
    expect(order).toBeGreaterThanOrEqual(0);
    expect(invoice).toBeGreaterThan(order);
    expect(lines[invoice]).toContain('issued (Đã xuất)');
    expect(run.stdout).toContain('revenue   recorded (Đã ghi doanh số)');
  });

  it('state reads a contract store without a delivery status and lists its cancellation', () => {
    const run = cli(['state', '--db', contract]);

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('delivery');
    expect(run.stdout).toMatch(
      /^ {2}cancellation:HDS-0001 +cancellation +approved \(Đồng ý hủy\)$/m,
    );
  });

  it('state refuses a --target that does not match the store orders', async () => {
    expectOneLineError(
      await inProcess(['state', '--db', contract, '--target', 'salesOrder']),
      /kept as contract/,
    );
  });

  it('state, outbox and conflicts refuse a path with no store and create none', async () => {
    const nowhere = path.join(dir, 'nowhere.db');
    expectOneLineError(cli(['state', '--db', nowhere]), /no store at/);
    for (const command of ['outbox', 'conflicts']) {
      expectOneLineError(
        await inProcess([command, '--db', nowhere]),
        /no store at/,
      );
    }

    expect(fs.existsSync(nowhere)).toBe(false);
  });

  it('state, outbox and conflicts require --db', async () => {
    for (const command of ['state', 'outbox', 'conflicts']) {
      expectOneLineError(await inProcess([command]), /--db <path> is required/);
    }
  });

  it('outbox lists the pending commands in the order the events made them', () => {
    const run = cli(['outbox', '--db', customers, '--json']);
    const entries = jsonLines<OutboxEntry>(run.stdout);

    expect(run.code).toBe(0);
    expect(
      entries.map((entry) => [
        entry.eventId,
        entry.command.target,
        entry.command.type,
      ]),
    ).toEqual([
      ['cp-04', 'act', 'customer.update'],
      ['cp-05', 'crm', 'contact.create'],
      ['cp-12', 'crm', 'product.upsert'],
      ['cp-13', 'act', 'product.upsert'],
      ['cp-15', 'act', 'quote.upsert'],
    ]);
  });

  it('outbox shows seq, event, rule, target, type and key for people', () => {
    const run = cli(['outbox', '--db', customers]);

    expect(run.stdout.split('\n')[0]).toMatch(
      /^Seq +Event +Rule +Target +Type +Key +Data$/,
    );
    expect(run.stdout).toMatch(/cp-05 +CUS-A1 +CRM +contact\.create +KH-0301 /);
  });

  it('outbox --deliver delivers each command once: a second delivery reports 0', () => {
    const db = path.join(dir, 'deliver.db');
    cli(['replay', SALES, '--db', db]);
    const pending = jsonLines<OutboxEntry>(
      cli(['outbox', '--db', db, '--json']).stdout,
    );
    const seqs = pending
      .slice(0, 3)
      .map((entry) => entry.seq)
      .join(',');

    const first = cli(['outbox', '--db', db, '--deliver', seqs, '--json']);
    const second = cli(['outbox', '--db', db, '--deliver', seqs]);
    const all = jsonLines<OutboxEntry>(
      cli(['outbox', '--db', db, '--all', '--json']).stdout,
    );

    expect(pending).toHaveLength(12);
    expect(JSON.parse(first.stdout)).toEqual({ delivered: 3, given: 3 });
    expect(second.stdout).toBe(
      'Marked 0 commands delivered (0 of 3 given were pending).\n',
    );
    expect(all.map((entry) => entry.seq)).toEqual(
      pending.map((entry) => entry.seq),
    );
    expect(
      all.filter((entry) => entry.deliveredAt).map((entry) => entry.seq),
    ).toEqual(pending.slice(0, 3).map((entry) => entry.seq));
  });

  it('outbox --deliver refuses a list that is not sequence numbers', async () => {
    expectOneLineError(
      await inProcess(['outbox', '--db', sales, '--deliver', '1,x']),
      /'x' is not one/,
    );
  });

  it('conflicts lists the kept CUS-A1 conflict with its line, record and reason', () => {
    const json = jsonLines<ConflictEntry>(
      cli(['conflicts', '--db', customers, '--json']).stdout,
    );
    const people = cli(['conflicts', '--db', customers]);

    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      eventId: 'cp-08',
      line: 8,
      recordId: 'customer:KH-0302',
      rules: ['CUS-A1'],
    });
    expect(people.stdout).toMatch(
      new RegExp(`cp-08 +8 +customer:KH-0302 +CUS-A1 +${json[0]!.error.code} `),
    );
  });

  it('conflicts says so when there are none', () => {
    expect(cli(['conflicts', '--db', sales]).stdout).toBe('No conflicts.\n');
  });
});

describe('lienthong help and version', () => {
  it('prints the version of package.json', () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
    ) as { version: string };
    const run = cli(['--version']);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${pkg.version}\n`);
  });

  it('lists every command in --help', () => {
    const run = cli(['--help']);

    expect(run.code).toBe(0);
    for (const command of ['replay', 'state', 'outbox', 'conflicts']) {
      expect(run.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    }
  });

  it('prints each command help with its options', async () => {
    const options: Record<string, string[]> = {
      replay: ['--target', '--db', '--no-sync-quotes', '--json', '--strict'],
      state: ['--db', '--json'],
      outbox: ['--db', '--json', '--all', '--deliver'],
      conflicts: ['--db', '--json'],
    };
    for (const [command, flags] of Object.entries(options)) {
      const run = await inProcess([command, '--help']);

      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: lienthong ${command} `));
      for (const flag of flags) expect(run.stdout).toContain(flag);
    }
  });
});
