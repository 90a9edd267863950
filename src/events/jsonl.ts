/**
 * JSON Lines input (SYNC-RULES §5): one JSON value per line.
 *
 * Line numbers are 1-based and count every line, blank ones included; blank
 * (whitespace-only) lines yield nothing; a UTF-8 byte-order mark at the very
 * start is ignored; a line may end in LF or CRLF. A line that is not JSON yields
 * a `notJson` error with the parser's reason. Nothing here throws on bad input.
 */
import type { ResultError } from '../types.js';

/** One non-blank input line: its JSON value, or why it has none. */
export interface JsonLine {
  /** 1-based, counting every line of the input. */
  line: number;
  value?: unknown;
  error?: ResultError;
}

/** What {@link readJsonLines} reads from. */
export type JsonLinesSource =
  string | AsyncIterable<string | Uint8Array> | NodeJS.ReadableStream;

const BOM = '\uFEFF';
const BLANK = /^\s*$/;

function parseLine(text: string, line: number): JsonLine | undefined {
  if (BLANK.test(text)) return undefined;
  try {
    return { line, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      line,
      error: {
        code: 'notJson',
        message: `Line ${line} is not valid JSON: ${reason}`,
      },
    };
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** Every non-blank line of a JSON Lines text, in order. */
export function parseJsonLines(text: string): JsonLine[] {
  const out: JsonLine[] = [];
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  let start = 0;
  let line = 0;
  while (start <= body.length) {
    const end = body.indexOf('\n', start);
    const stop = end === -1 ? body.length : end;
    line += 1;
    const item = parseLine(stripCr(body.slice(start, stop)), line);
    if (item !== undefined) out.push(item);
    if (end === -1) break;
    start = end + 1;
  }
  return out;
}

/**
 * Every non-blank line of a JSON Lines text, file stream or async iterable of
 * chunks (strings or UTF-8 bytes), in order, as it arrives.
 */
export async function* readJsonLines(
  source: JsonLinesSource,
): AsyncGenerator<JsonLine> {
  if (typeof source === 'string') {
    yield* parseJsonLines(source);
    return;
  }
  // fatal: false replaces malformed UTF-8 with U+FFFD; ignoreBOM: false drops a leading BOM.
  // TODO: a line with malformed UTF-8 should be invalid (it is read with
  // U+FFFD in place of the bad bytes): split the bytes into lines first and
  // decode each with a fatal decoder.
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let line = 0;
  let first = true;
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    let text =
      typeof chunk === 'string'
        ? chunk
        : decoder.decode(chunk, { stream: true });
    if (first && text !== '') {
      if (text.startsWith(BOM)) text = text.slice(1);
      first = false;
    }
    // Only the new text can hold a line break: a long line split over many chunks
    // is scanned once, not once per chunk.
    const searchFrom = pending.length;
    pending += text;
    let start = 0;
    let end = pending.indexOf('\n', searchFrom);
    while (end !== -1) {
      line += 1;
      const item = parseLine(stripCr(pending.slice(start, end)), line);
      if (item !== undefined) yield item;
      start = end + 1;
      end = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (first && pending.startsWith(BOM)) pending = pending.slice(1);
  if (pending !== '') {
    line += 1;
    const item = parseLine(stripCr(pending), line);
    if (item !== undefined) yield item;
  }
}
