import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  parseJsonLines,
  readJsonLines,
  type JsonLine,
  type JsonLinesSource,
} from '../src/events/jsonl.js';

/** The twelve lines of the bad-input.jsonl scenario (line 2 is cut short). */
const BAD_INPUT_LINES = [
  '{"id":"bad-01","source":"crm","type":"order.created","at":"2026-11-01T09:00:00+07:00","key":"DH-0900","data":{"revenueStatus":"draft","customer":"KH-0001","currency":"VND","lines":[{"line":"1","product":"SP-GHE","quantity":"3","unitPrice":"1250000"}],"total":"3750000"}}',
  '{"id":"bad-02","source":"crm","type":"order.proposed","at":"2026-11-01T09:05:00+07:00","key":"DH-0900","data":{}',
  '{"id":"bad-03","source":"crm","type":"order.teleported","at":"2026-11-01T09:06:00+07:00","key":"DH-0900","data":{}}',
  '{"id":"bad-04","source":"crm","type":"order.proposed","at":"2026-11-01T09:07:00+07:00","data":{}}',
  '{"id":"bad-05","source":"act","type":"salesOrder.fulfilmentUpdated","at":"2026-11-01T10:00:00+07:00","key":"DH-0900","data":{"lines":[{"line":"1","deliveredQuantity":"-2"}],"receivedAmount":"0"}}',
  '{"id":"bad-06","source":"crm","type":"order.proposed","at":"2026-11-01T09:08:00+07:00","key":"DH-0900","data":{}}',
  '{"id":"bad-06","source":"crm","type":"order.proposed","at":"2026-11-01T09:08:00+07:00","key":"DH-0900","data":{}}',
  '{"id":"bad-07","source":"act","type":"salesOrder.revenueRecorded","at":"2026-11-01T11:00:00+07:00","key":"DH-9999","data":{"postingDate":"2026-11-01","amount":"100000"}}',
  '{"id":"bad-08","source":"act","type":"salesOrder.statusUpdated","at":"2026-11-01T12:00:00+07:00","key":"DH-0900","version":5,"data":{"status":"inProgress"}}',
  '{"id":"bad-09","source":"act","type":"salesOrder.statusUpdated","at":"2026-11-01T11:59:00+07:00","key":"DH-0900","version":4,"data":{"status":"notStarted"}}',
  '{"id":"bad-10","source":"act","type":"contract.statusUpdated","at":"2026-11-01T12:30:00+07:00","key":"DH-0900","data":{"status":"completed"}}',
  '{"id":"bad-11","source":"act","type":"salesOrder.fulfilmentUpdated","at":"2026-11-01T13:00:00+07:00","key":"DH-0900","data":{"lines":[{"line":"1","deliveredQuantity":"3"}],"receivedAmount":"3750000","remainingAmount":"0"}}',
];
const BAD_INPUT = BAD_INPUT_LINES.join('\n') + '\n';

async function collect(source: JsonLinesSource): Promise<JsonLine[]> {
  const out: JsonLine[] = [];
  for await (const item of readJsonLines(source)) out.push(item);
  return out;
}

async function* chunks(
  ...parts: (string | Uint8Array)[]
): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

describe('parseJsonLines', () => {
  it('numbers every line from 1 and skips blank ones', () => {
    expect(parseJsonLines('{"a":1}\n\n   \n[2]\n\t\n"x"\n')).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: [2] },
      { line: 6, value: 'x' },
    ]);
  });

  it('reads a last line without a line break', () => {
    expect(parseJsonLines('1\n2')).toEqual([
      { line: 1, value: 1 },
      { line: 2, value: 2 },
    ]);
  });

  it('returns nothing for empty or blank text', () => {
    expect(parseJsonLines('')).toEqual([]);
    expect(parseJsonLines('\n\r\n  \n')).toEqual([]);
  });

  it('ignores a byte-order mark at the very start', () => {
    expect(parseJsonLines('\uFEFF{"a":1}\n{"b":2}')).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { b: 2 } },
    ]);
  });

  it('treats a byte-order mark later in the text as part of the line', () => {
    const [, second] = parseJsonLines('1\n\uFEFF2');
    expect(second?.line).toBe(2);
    expect(second?.error?.code).toBe('notJson');
  });

  it('accepts CRLF line ends', () => {
    expect(parseJsonLines('{"a":"x"}\r\n\r\n{"b":2}\r\n')).toEqual([
      { line: 1, value: { a: 'x' } },
      { line: 3, value: { b: 2 } },
    ]);
  });

  it('reports a line that is not JSON with the parser reason', () => {
    const [item] = parseJsonLines('{"id":"x",');
    expect(item?.line).toBe(1);
    expect(item?.value).toBeUndefined();
    expect(item?.error?.code).toBe('notJson');
    expect(item?.error?.message).toMatch(/^Line 1 is not valid JSON: \S/);
  });

  it('reports line 2 of bad-input.jsonl as not JSON and reads the others', () => {
    const items = parseJsonLines(BAD_INPUT);
    expect(items).toHaveLength(12);
    expect(items.map((item) => item.line)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    const second = items[1];
    expect(second?.error).toEqual({
      code: 'notJson',
      message: expect.stringMatching(/^Line 2 is not valid JSON: /),
    });
    expect(items.filter((item) => item.error !== undefined)).toHaveLength(1);
  });

  it('does not throw on JSON nested a million levels deep', () => {
    const deep = '['.repeat(1e6) + ']'.repeat(1e6);
    const items = parseJsonLines(`${deep}\n${'['.repeat(1e6)}\n`);
    expect(items).toHaveLength(2);
    expect(items[0]?.line).toBe(1);
    expect(items[1]?.error?.code).toBe('notJson');
  });
});

describe('readJsonLines', () => {
  it('reads a string', async () => {
    expect(await collect('1\n\n3')).toEqual([
      { line: 1, value: 1 },
      { line: 3, value: 3 },
    ]);
  });

  it('joins lines split across chunks, including a split UTF-8 character', async () => {
    const bytes = Buffer.from('{"name":"Hoa Sen Việt"}\n\n{"n":2}\r\n', 'utf8');
    const cut = bytes.indexOf(Buffer.from('ệ', 'utf8')) + 1;
    const parts = [
      bytes.subarray(0, 5),
      bytes.subarray(5, cut),
      bytes.subarray(cut, cut + 3),
      bytes.subarray(cut + 3),
    ];
    expect(await collect(chunks(...parts))).toEqual([
      { line: 1, value: { name: 'Hoa Sen Việt' } },
      { line: 3, value: { n: 2 } },
    ]);
  });

  it('ignores a byte-order mark in the first bytes or the first string chunk', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(
      await collect(
        chunks(bom.subarray(0, 2), bom.subarray(2), Buffer.from('1\n2')),
      ),
    ).toEqual([
      { line: 1, value: 1 },
      { line: 2, value: 2 },
    ]);
    expect(await collect(chunks('', '\uFEFF1\n', '2'))).toEqual([
      { line: 1, value: 1 },
      { line: 2, value: 2 },
    ]);
  });

  it('reads a Node stream', async () => {
    expect(
      await collect(Readable.from(['{"a":1}\n', 'oops\n', '\n[]'])),
    ).toEqual([
      { line: 1, value: { a: 1 } },
      {
        line: 2,
        error: { code: 'notJson', message: expect.stringMatching(/^Line 2 /) },
      },
      { line: 4, value: [] },
    ]);
  });

  it('reads a file stream the same way as its text', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lienthong-')), 'bad.jsonl');
    writeFileSync(file, `\uFEFF${BAD_INPUT.replaceAll('\n', '\r\n')}`);
    const fromStream = await collect(
      createReadStream(file, { highWaterMark: 64 }),
    );
    expect(fromStream).toEqual(parseJsonLines(BAD_INPUT));
  });

  it('reads a long line given in many small chunks', async () => {
    const value = { text: 'x'.repeat(100_000) };
    const text = JSON.stringify(value) + '\n';
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += 7) parts.push(text.slice(i, i + 7));
    expect(await collect(chunks(...parts))).toEqual([{ line: 1, value }]);
  });
});
