import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createWebSocketInspector } from '@statelyai/inspect';
import { WebSocket } from 'ws';
import type { InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { startInspectorServer } from '../src/cli/inspect.js';
import { main } from '../src/cli/main.js';
import { createEngine } from '../src/engine/engine.js';
import { parseJsonLines, type JsonLine } from '../src/events/jsonl.js';
import { createReportRecorder } from '../src/report/collect.js';
import type { OrderTarget } from '../src/types.js';
import { EXAMPLES } from './support/cli.js';

const SALES_ORDER = path.join(EXAMPLES, 'sales-order-lifecycle.jsonl');

function lines(name: string): JsonLine[] {
  return parseJsonLines(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
}

interface Seen {
  type: InspectionEvent['type'];
  machine: string;
  session: string;
  event: { type: string; id?: string };
  value?: unknown;
}

function observe(into: Seen[]) {
  return (event: InspectionEvent) => {
    if (event.type !== '@xstate.event' && event.type !== '@xstate.snapshot') {
      return;
    }

    const logic = (event.actorRef as unknown as { logic: { id: string } })
      .logic;
    into.push({
      type: event.type,
      machine: logic.id,
      session: event.actorRef.sessionId,
      event: event.event as Seen['event'],
      ...(event.type === '@xstate.snapshot'
        ? { value: (event.snapshot as unknown as { value: unknown }).value }
        : {}),
    });
  };
}

/** The status fields a snapshot value shows, as `engine.record` names them. */
function statusesOfValue(value: unknown, field: string) {
  if (typeof value === 'string')
    return value === 'absent' ? {} : { [field]: value };

  return (value as { active: Record<string, string> }).active;
}

const FIELD: Record<string, string> = {
  customer: 'link',
  product: 'link',
  quote: 'link',
  invoice: 'invoice',
  contractCancellation: 'cancellation',
  salesOrderCancellation: 'cancellation',
};

/** Runs the command line in this process, as `bin/lienthong.js` would. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    stdin: Readable.from([]),
    errIsTTY: false,
  });

  return { code, stdout, stderr };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string) {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out: ${what}`)), ms),
    ),
  ]);
}

describe('engine inspection', () => {
  it('reports each applied event and the state it leaves, as engine.record shows it', () => {
    const seen: Seen[] = [];
    const engine = createEngine({ inspect: observe(seen) });
    const input = lines('sales-order-lifecycle.jsonl');
    const after = new Map<string, Record<string, Record<string, string>>>();

    const { results } = engine.run(input, {
      onResult: (result, records) => {
        const statuses: Record<string, Record<string, string>> = {};
        for (const id of records) statuses[id] = engine.record(id)!.statuses;
        after.set(result.event!, statuses);
      },
    });

    expect(results.map((r) => r.outcome)).toEqual(Array(14).fill('applied'));
    for (const item of input) {
      const sent = item.value as { id: string; type: string };
      const events = seen.filter(
        (s) => s.type === '@xstate.event' && s.event.id === sent.id,
      );
      expect(events.map((s) => s.event.type)).toEqual([sent.type]);

      const event = events[0]!;
      const snapshot = seen.find(
        (s, index) =>
          index > seen.indexOf(event) &&
          s.type === '@xstate.snapshot' &&
          s.session === event.session &&
          s.event.id === sent.id,
      );
      const [statuses] = Object.values(after.get(sent.id)!);
      expect(
        statusesOfValue(snapshot?.value, FIELD[event.machine] ?? ''),
      ).toEqual(statuses);
    }
  });

  it('reports both machines of a cancellation event (CT-C7, CT-A8)', () => {
    const seen: Seen[] = [];
    const engine = createEngine({
      orderTarget: 'contract',
      inspect: observe(seen),
    });

    engine.run(lines('contract-lifecycle.jsonl'));
    const machinesOf = (id: string) =>
      seen
        .filter((s) => s.type === '@xstate.event' && s.event.id === id)
        .map((s) => s.machine)
        .sort();
    const last = (id: string, machine: string) =>
      [...seen]
        .reverse()
        .find(
          (s) =>
            s.type === '@xstate.snapshot' &&
            s.event.id === id &&
            s.machine === machine,
        )?.value;

    expect(machinesOf('ct-06')).toEqual(['contract', 'contractCancellation']);
    expect(machinesOf('ct-07')).toEqual(['contract', 'contractCancellation']);
    expect(last('ct-06', 'contractCancellation')).toBe('proposed');
    expect(last('ct-07', 'contractCancellation')).toBe('approved');
  });

  it.each([
    ['sales-order-lifecycle.jsonl', 'salesOrder'],
    ['contract-lifecycle.jsonl', 'contract'],
    ['customers-and-products.jsonl', 'salesOrder'],
    ['bad-input.jsonl', 'salesOrder'],
  ] as const)(
    'leaves every result of %s unchanged when inspected',
    (name, orderTarget: OrderTarget) => {
      const plain = createEngine({ orderTarget, now: () => 'T' });
      const inspected = createEngine({
        orderTarget,
        now: () => 'T',
        inspect: () => {},
      });

      const expected = plain.run(lines(name)).results;
      const actual = inspected.run(lines(name)).results;

      expect(actual).toEqual(expected);
      expect(inspected.outbox.all()).toEqual(plain.outbox.all());
    },
  );
});

describe('createReportRecorder', () => {
  const parkedFirst = [
    {
      id: 'p-1',
      source: 'act',
      type: 'salesOrder.statusUpdated',
      at: '2026-11-02T09:00:00+07:00',
      key: 'DH-7',
      data: { status: 'inProgress' },
    },
    {
      id: 'p-2',
      source: 'crm',
      type: 'order.created',
      at: '2026-11-02T09:00:00+07:00',
      key: 'DH-7',
      data: {
        revenueStatus: 'draft',
        lines: [{ line: '1', quantity: 1, unitPrice: 100 }],
      },
    },
  ];

  it('gives each result the status changes its own event made when a parked event is handled again', () => {
    const recorder = createReportRecorder('salesOrder');
    const engine = createEngine({ inspect: recorder.inspect });

    engine.run(
      parkedFirst.map((value, index) => ({ value, line: index + 1 })),
      { onResult: recorder.onResult },
    );
    const data = recorder.build(engine, 'parked');
    const status = (entry: (typeof data.entries)[number]) =>
      entry.records[0]!.changes.find((change) => change.field === 'status');

    expect(data.entries.map((entry) => [entry.event, entry.outcome])).toEqual([
      ['p-1', 'parked'],
      ['p-2', 'applied'],
      ['p-1', 'applied'],
    ]);
    expect(status(data.entries[0]!)).toBeUndefined();
    expect(status(data.entries[1]!)).toEqual({
      field: 'status',
      before: null,
      after: 'notStarted',
    });
    expect(status(data.entries[2]!)).toEqual({
      field: 'status',
      before: 'notStarted',
      after: 'inProgress',
    });
    expect(data.entries[0]!.type).toBe('salesOrder.statusUpdated');
    expect(data.records[0]!.states).toContain('active.status.inProgress');
  });

  it('reads each line’s own id, app and type from the input, invalid lines included', async () => {
    const recorder = createReportRecorder('salesOrder');
    const engine = createEngine({ inspect: recorder.inspect });
    const text =
      '\uFEFF{"id":"x-1","source":"crm","type":"order.teleported","key":"K"}\r\n\nnot json\n';
    const chunks = (async function* () {
      yield Buffer.from(text.slice(0, 20));
      yield Buffer.from(text.slice(20));
    })();
    const tapped = recorder.tap(chunks) as AsyncIterable<Buffer>;

    const read: Buffer[] = [];
    for await (const chunk of tapped) read.push(chunk);
    engine.run(parseJsonLines(text), { onResult: recorder.onResult });
    const data = recorder.build(engine, 'bad');

    expect(Buffer.concat(read).toString()).toBe(text);
    expect(
      data.entries.map((entry) => [entry.line, entry.type, entry.source]),
    ).toEqual([
      [1, 'order.teleported', 'crm'],
      [3, undefined, undefined],
    ]);
    expect(data.unattached).toEqual([0, 1]);
  });
});

describe('inspector server', () => {
  it('relays inspection events from a Stately WebSocket inspector over loopback', async () => {
    const server = await startInspectorServer({ port: 0 });
    const inspector = createWebSocketInspector({
      url: server.url,
      autoStart: false,
    });
    const viewer = new WebSocket(server.url);
    const messages: {
      type: string;
      event?: { id?: string };
      snapshot?: { value?: unknown };
    }[] = [];
    viewer.on('message', (data) => messages.push(JSON.parse(String(data))));

    try {
      await withTimeout(
        new Promise((resolve) => viewer.once('open', resolve)),
        5_000,
        'viewer connects',
      );
      inspector.start();
      await withTimeout(server.waitForClients(2, 5_000), 6_000, 'inspector');
      const engine = createEngine({ inspect: inspector.inspect });
      engine.run(lines('sales-order-lifecycle.jsonl'));

      const snapshotOf = (id: string) =>
        messages.find(
          (m) => m.type === '@xstate.snapshot' && m.event?.id === id,
        );
      await withTimeout(
        (async () => {
          while (!snapshotOf('so-14')) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })(),
        10_000,
        'so-14 relayed',
      );

      expect(snapshotOf('so-05')?.snapshot?.value).toMatchObject({
        active: { revenue: 'proposed' },
      });
      expect(messages.some((m) => m.type === '@xstate.actor')).toBe(true);
    } finally {
      inspector.stop();
      viewer.close();
      await server.close();
    }
  });

  it('refuses a browser connection from another site’s page', async () => {
    const server = await startInspectorServer({ port: 0 });
    try {
      const status = await withTimeout(
        new Promise<number>((resolve) => {
          const socket = new WebSocket(server.url, {
            origin: 'https://example.com',
          });
          socket.on('unexpected-response', (_request, response) =>
            resolve(response.statusCode ?? 0),
          );
          socket.on('open', () => {
            socket.close();
            resolve(101);
          });
          socket.on('error', () => {});
        }),
        5_000,
        'refusal',
      );

      expect(status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('serves an offline viewer page that loads nothing from elsewhere', async () => {
    const server = await startInspectorServer({ port: 0 });
    try {
      const { headers, body } = await withTimeout(
        new Promise<{ headers: http.IncomingHttpHeaders; body: string }>(
          (resolve, reject) => {
            http
              .get(server.page, (response) => {
                let text = '';
                response.on('data', (chunk) => (text += String(chunk)));
                response.on('end', () =>
                  resolve({ headers: response.headers, body: text }),
                );
              })
              .on('error', reject);
          },
        ),
        5_000,
        'viewer page',
      );

      expect(server.page).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(headers['content-security-policy']).toContain(
        "default-src 'none'",
      );
      expect(body).toContain('lienthong inspector');
      expect(body).not.toMatch(/https?:\/\//);
    } finally {
      await server.close();
    }
  });
});

describe('lienthong replay --inspect', () => {
  it('prints where to watch and ends after the replay when stdin is not a terminal', async () => {
    const inspected = await run([
      'replay',
      SALES_ORDER,
      '--json',
      '--inspect',
      '--inspect-port',
      '0',
    ]);
    const plain = await run(['replay', SALES_ORDER, '--json']);

    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toBe(plain.stdout);
    expect(inspected.stderr).toMatch(
      /inspecting on 127\.0\.0\.1 only\. Watch the events at http:\/\/127\.0\.0\.1:\d+\//,
    );
  });

  it('refuses --inspect-port without --inspect', async () => {
    const refused = await run(['replay', SALES_ORDER, '--inspect-port', '9']);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--inspect-port goes with --inspect');
  });
});
