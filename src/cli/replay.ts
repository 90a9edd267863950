import fs from 'node:fs';
import type { Engine, StatusesAfter } from '../engine/engine.js';
import type { JsonLinesSource } from '../events/jsonl.js';
import { replay, type ReplayOutput } from '../replay.js';
import { statusLabel } from '../rules/labels.js';
import { OUTCOMES, type Result } from '../types.js';
import {
  CliError,
  openEngine,
  orderTargetOf,
  parseCommandArgs,
  type CliCommand,
  type Io,
} from './command.js';
import {
  LABEL_SEPARATOR,
  commandShort,
  fieldWidth,
  joinPieces,
  layout,
  reasonText,
  statusBlock,
  tableWidth,
  wrap,
  type ColumnSpec,
  type Piece,
  type Table,
} from './format.js';
import { OBSERVE_OPTIONS, OBSERVE_USAGE, startObserving } from './observe.js';

const OPTIONS = {
  target: { type: 'string' },
  db: { type: 'string' },
  'no-sync-quotes': { type: 'boolean' },
  json: { type: 'boolean' },
  strict: { type: 'boolean' },
  ...OBSERVE_OPTIONS,
} as const;

/** Files with more lines than this get a progress bar (on a terminal). */
const PROGRESS_FROM = 2_000;

const USAGE = `Usage: lienthong replay <file.jsonl|-> [options]

Handles every event of a JSON Lines log, in order, and reports one result per
line (a parked event reports again when it is handled), then a summary.

Options:
  --target <t>       salesOrder (default) or contract: what ACT keeps CRM
                     orders as. One store serves one connection: use the same
                     target every time with one --db.
  --db <path>        SQLite store to use and keep (default: in memory).
                     Events already handled there are reported as duplicate.
  --no-sync-quotes   Do not sync CRM quotes to ACT (QUO-C1).
  --json             One JSON result per line (SYNC-RULES §6), then one line
                     {"summary":…,"records":…}; nothing else on stdout.
  --strict           Exit 1 when a line ends invalid, conflict or parked.
${OBSERVE_USAGE}
  -h, --help         Show this help.

Reads stdin when the file is -. Exit codes: 0 processed, 1 --strict found
problems, 2 usage or I/O error.
`;

/** `lienthong replay`: a log in, results and a summary out. */
export const replayCommand: CliCommand = {
  name: 'replay',
  summary: 'Handle a JSON Lines event log and report every result',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('replay', args, OPTIONS);
    if (positionals.length !== 1) {
      throw new CliError(
        positionals.length === 0
          ? 'replay: give the log file to read, or - for stdin'
          : `replay: unexpected argument '${positionals[1]}'`,
      );
    }

    const file = positionals[0]!;
    const orderTarget = orderTargetOf(values.target);
    const source = await openInput(file, io);
    const lines =
      io.errIsTTY && file !== '-' ? await countLines(file) : undefined;
    const observing = await startObserving(io, values, orderTarget, file);
    const engine = openEngine({
      ...(values.db !== undefined ? { db: values.db } : {}),
      orderTarget,
      syncQuotes: !values['no-sync-quotes'],
      ...(observing.inspect ? { inspect: observing.inspect } : {}),
    });

    try {
      const report = values.json
        ? jsonReport(io)
        : tableReport(io, engine, tableWidth(io.outColumns));
      const bar =
        lines !== undefined && lines > PROGRESS_FROM
          ? progressBar(io, lines)
          : undefined;
      const output = await replay(engine, observing.tap(source), {
        keepResults: false,
        onResult: (result, records, statuses) => {
          report.result(result, records, statuses);
          observing.onResult(result, records);
        },
        onProgress: (linesRead) => {
          bar?.clear();
          report.flush();
          bar?.draw(linesRead);
        },
      });
      bar?.clear();
      report.flush();
      report.summary(output);
      await observing.finish(engine, output.summary);

      const { invalid, conflict, parked } = output.summary;

      return values.strict && invalid + conflict + parked > 0 ? 1 : 0;
    } finally {
      engine.close();
      await observing.close();
    }
  },
};

/** Checks the input exists and is readable before anything is written. */
async function openInput(file: string, io: Io): Promise<JsonLinesSource> {
  if (file === '-') return io.stdin;

  try {
    const stat = await fs.promises.stat(file);
    if (stat.isDirectory()) throw new CliError(`${file} is a directory`);
    await fs.promises.access(file, fs.constants.R_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;

    throw new CliError(`cannot read ${file}: ${ioReason(error)}`);
  }

  return fs.createReadStream(file);
}

function ioReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';

  return error instanceof Error ? error.message : String(error);
}

/** Counts the lines of a file without keeping it, for the progress bar. */
async function countLines(file: string): Promise<number> {
  let count = 0;
  let last = 0x0a;
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Buffer;
    let index = bytes.indexOf(0x0a);
    while (index !== -1) {
      count += 1;
      index = bytes.indexOf(0x0a, index + 1);
    }
    if (bytes.length > 0) last = bytes[bytes.length - 1]!;
  }

  return last === 0x0a ? count : count + 1;
}

/** How results and the summary are printed: for programs or for people. */
interface Report {
  result(
    result: Result,
    records: readonly string[],
    statuses: StatusesAfter,
  ): void;
  /** Prints what is held; called once a batch is committed. */
  flush(): void;
  summary(output: ReplayOutput): void;
}

function jsonReport(io: Io): Report {
  let held: string[] = [];

  return {
    result(result) {
      held.push(JSON.stringify(result) + '\n');
    },
    flush() {
      if (held.length > 0) io.out(held.join(''));
      held = [];
    },
    summary(output) {
      io.out(
        JSON.stringify({ summary: output.summary, records: output.records }) +
          '\n',
      );
    },
  };
}

const COLUMNS: readonly ColumnSpec[] = [
  { header: 'Line', min: 4, align: 'right' },
  { header: 'Event', min: 5, max: 14 },
  // Sized for every outcome and common rules and commands, since only the
  // first batch decides the widths.
  { header: 'Outcome', min: 9 },
  { header: 'Rules', min: 6, max: 16 },
  { header: 'Command', min: 23, max: 34 },
  { header: 'Records after' },
];

/** The lines the last column of one result needs. */
interface Row {
  cells: string[];
  /** Pieces of the last cell, broken between them when too long. */
  pieces: (string | Piece)[];
  separator: string;
  maxLines: number;
  notices: string[];
}

function tableReport(io: Io, engine: Engine, width: number): Report {
  let table: Table | undefined;
  let held: Row[] = [];

  function rowOf(
    result: Result,
    records: readonly string[],
    statuses: StatusesAfter,
  ): Row {
    const cells = [
      result.line === undefined ? '' : String(result.line),
      result.event ?? '—',
      result.outcome,
      result.rules.join(', '),
      commandShort(result.commands[0]),
    ];
    const notices = result.notices.map(
      (notice) => `⚠ ${notice.code}: ${notice.message}`,
    );
    if (result.outcome !== 'applied') {
      return {
        cells,
        pieces: reasonText(result).split(' '),
        separator: ' ',
        maxLines: 2,
        notices,
      };
    }

    // The engine's statuses right after this event: a parked event it
    // released may change the record again before this row is printed.
    const pieces: Piece[] = [];
    for (const id of records) {
      const codes = statuses[id];
      if (!codes) continue;

      const key = id.slice(id.indexOf(':') + 1);
      Object.entries(codes).forEach(([field, code], index) => {
        const label = statusLabel(field, code);
        const first = index === 0 && records.length > 1;
        pieces.push({
          text: first ? `${key}: ${label}` : label,
          before: first ? '; ' : LABEL_SEPARATOR,
        });
      });
    }

    return {
      cells,
      pieces,
      separator: LABEL_SEPARATOR,
      maxLines: Infinity,
      notices,
    };
  }

  function print(rows: Row[]) {
    const out: string[] = [];
    if (!table) {
      table = layout(
        COLUMNS,
        rows.map((row) => [
          ...row.cells,
          joinPieces(row.pieces, row.separator),
        ]),
        width,
      );
      out.push(table.header());
    }

    const last = table.columns[table.columns.length - 1]!.width;
    const indent = ' '.repeat(table.lastStart);
    for (const row of rows) {
      const [first = '', ...rest] = wrap(
        row.pieces,
        row.separator,
        last,
        row.maxLines,
      );
      out.push(table.row([...row.cells, first]));
      for (const more of rest) out.push(indent + more);
      for (const notice of row.notices) {
        for (const text of wrap(notice.split(' '), ' ', last, 2)) {
          out.push(indent + text);
        }
      }
    }
    io.out(out.join('\n') + '\n');
  }

  return {
    result(result, records, statuses) {
      held.push(rowOf(result, records, statuses));
    },
    flush() {
      if (held.length > 0) print(held);
      held = [];
    },
    summary(output) {
      io.out(summaryText(output).join('\n') + '\n');
    },
  };
}

/** The summary block for people: counts, then each touched record. */
function summaryText(output: ReplayOutput): string[] {
  const { summary, records } = output;
  const counts = OUTCOMES.map((outcome) => `${outcome} ${summary[outcome]}`);
  const lines = [
    '',
    `Summary: ${summary.events} ${summary.events === 1 ? 'event' : 'events'}`,
    `  ${counts.join(LABEL_SEPARATOR)}`,
  ];
  const ids = Object.keys(records);
  if (ids.length === 0) return lines;

  lines.push('', 'Records');
  const widths = {
    title: Math.max(...ids.map((id) => id.length)),
    field: fieldWidth(Object.values(records)),
    indent: '  ',
  };
  for (const id of ids) {
    const statuses = records[id]!;
    const labels: Record<string, string> = {};
    for (const [field, code] of Object.entries(statuses)) {
      labels[field] = statusLabel(field, code);
    }
    lines.push(...statusBlock(id, statuses, labels, widths));
  }

  return lines;
}

/** A one-line bar on stderr, redrawn in place. */
function progressBar(io: Io, total: number) {
  const size = 30;
  let shown = -1;

  return {
    draw(linesRead: number) {
      const share = Math.min(1, linesRead / total);
      const percent = Math.floor(share * 100);
      if (percent === shown) return;

      shown = percent;
      const filled = Math.round(share * size);
      io.err(
        `\r[${'#'.repeat(filled)}${'.'.repeat(size - filled)}] ` +
          `${String(percent).padStart(3)}%  ${linesRead}/${total} lines`,
      );
    },
    clear() {
      if (shown !== -1) io.err('\r\x1b[2K');
      shown = -1;
    },
  };
}
