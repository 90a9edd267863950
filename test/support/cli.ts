import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { Result } from '../../src/types.js';

/** The repository root: the CLI runs from here, as a user would. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built command line (test/support/build.ts builds dist/ first). */
export const BIN = path.join(ROOT, 'bin', 'lienthong.js');

/** The scenario logs shipped in examples/. */
export const EXAMPLES = path.join(ROOT, 'examples');

/** What one run of the CLI gave. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/lienthong.js …args` to completion, with `input` on stdin.
 *
 * @example
 * const { code, stdout } = cli(['replay', 'examples/bad-input.jsonl']);
 */
export function cli(args: readonly string[], input?: string): CliRun {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) throw run.error;

  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * Runs the CLI's `main` in this process, with `input` on stdin: quicker than
 * a child for usage errors and help, where no process behaviour is at stake.
 *
 * @example
 * const { code, stderr } = await inProcess(['state']);
 */
export async function inProcess(args: string[], input = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    stdin: Readable.from([input]),
    errIsTTY: false,
  });

  return { code, stdout, stderr };
}

/** The summary line that ends `replay --json`. */
export interface JsonSummary {
  summary: Record<string, number>;
  records: Record<string, Record<string, string>>;
}

/** `replay --json` output split into its results and its last line. */
export interface JsonReplay extends CliRun {
  results: Result[];
  last: JsonSummary;
}

/**
 * Runs `lienthong replay <file> --json …extra` and parses every stdout line,
 * failing loudly when a line is not JSON.
 *
 * @example
 * const { results, last } = replayJson('examples/bad-input.jsonl');
 */
export function replayJson(
  file: string,
  extra: readonly string[] = [],
  input?: string,
): JsonReplay {
  const run = cli(['replay', file, '--json', ...extra], input);
  const lines = run.stdout.split('\n');
  if (lines.pop() !== '') {
    throw new Error(`stdout does not end in a newline: ${run.stdout}`);
  }
  const parsed = lines.map((line) => JSON.parse(line) as unknown);
  const last = parsed.pop() as JsonSummary;

  return { ...run, results: parsed as Result[], last };
}

/** A fresh temporary directory; the caller removes it with `removeDir`. */
export function tempDir(prefix = 'lienthong-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Removes a directory made by {@link tempDir}. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** One row of the `replay` table for people, its wrapped lines joined. */
export interface TableRow {
  line: number;
  event: string;
  outcome: string;
  rules: string;
  command: string;
  /** The "Records after" cell, continuation lines joined by a space. */
  after: string;
  notices: string[];
}

/** The `replay` table and summary block as printed for people. */
export interface PeopleReplay {
  header: string;
  rows: TableRow[];
  /** Everything from the blank line after the table on. */
  summary: string;
}

/**
 * Reads the people's table of `lienthong replay` back into cells, by the
 * columns its header line starts them at.
 *
 * @example
 * const { rows } = parseReplayTable(cli(['replay', file]).stdout);
 */
export function parseReplayTable(stdout: string): PeopleReplay {
  const lines = stdout.split('\n');
  const header = lines[0] ?? '';
  const starts = ['Event', 'Outcome', 'Rules', 'Command', 'Records after'].map(
    (name) => header.indexOf(name),
  );
  if (starts.some((start) => start < 0)) {
    throw new Error(`not a replay table header: ${header}`);
  }
  const [event, outcome, rules, command, after] = starts as [
    number,
    number,
    number,
    number,
    number,
  ];

  const rows: TableRow[] = [];
  let index = 1;
  for (; index < lines.length; index += 1) {
    const points = [...(lines[index] ?? '')];
    if (points.length === 0) break;

    const cell = (from: number, to?: number) =>
      points.slice(from, to).join('').trim();
    const lineCell = cell(0, event);
    if (lineCell === '') {
      const row = rows[rows.length - 1];
      if (!row) throw new Error(`continuation before any row: ${lines[index]}`);
      const text = cell(after);
      if (text.startsWith('⚠')) row.notices.push(text);
      else if (row.notices.length > 0) {
        row.notices[row.notices.length - 1] += ` ${text}`;
      } else row.after += ` ${text}`;
      continue;
    }

    rows.push({
      line: Number(lineCell),
      event: cell(event, outcome),
      outcome: cell(outcome, rules),
      rules: cell(rules, command),
      command: cell(command, after),
      after: cell(after),
      notices: [],
    });
  }

  return { header, rows, summary: lines.slice(index).join('\n') };
}
