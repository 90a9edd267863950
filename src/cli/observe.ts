import fs from 'node:fs';
import path from 'node:path';
import type { InspectionEvent, Observer } from 'xstate';
import type { Engine } from '../engine/engine.js';
import type { JsonLinesSource } from '../events/jsonl.js';
import type { Summary } from '../replay.js';
import { createReportRecorder } from '../report/collect.js';
import { renderReport } from '../report/html.js';
import type { OrderTarget, Result } from '../types.js';
import { CliError, type Io } from './command.js';
import { INSPECT_PORT, startInspection, type Inspection } from './inspect.js';

/** The `replay` options this module handles. */
export const OBSERVE_OPTIONS = {
  html: { type: 'string' },
  inspect: { type: 'boolean' },
  'inspect-port': { type: 'string' },
} as const;

/** Their lines in `replay --help`. */
export const OBSERVE_USAGE = [
  "  --html <out.html>  Also write one self-contained HTML page: each record's",
  '                     events, rules, commands and status changes beside its',
  '                     statechart, its current states lit; a filter box.',
  '  --inspect          Stream the XState inspection events to a local viewer',
  '                     on 127.0.0.1 only (nothing leaves the machine). From a',
  '                     terminal the viewer keeps serving after the replay',
  '                     until Ctrl-C; otherwise the command ends with the',
  '                     replay.',
  '  --inspect-port <n> The port for --inspect (default ' +
    `${INSPECT_PORT}; 0 picks one).`,
].join('\n');

/** What `replay` hands over and gets back for `--html` and `--inspect`. */
export interface Observing {
  /** The observer for `createEngine({ inspect })`, when one is needed. */
  readonly inspect?: Observer<InspectionEvent>;
  /** The input, read through the report's recorder when there is one. */
  tap(source: JsonLinesSource): JsonLinesSource;
  onResult(result: Result, records: readonly string[]): void;
  /** Writes the page, then serves the viewer until Ctrl-C if asked. */
  finish(engine: Engine, summary: Summary): Promise<void>;
  /** Stops the viewer; safe to call more than once. */
  close(): Promise<void>;
}

function portOf(value: string | undefined): number {
  if (value === undefined) return INSPECT_PORT;

  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new CliError(
      `replay: --inspect-port must be a port number, got '${value}'`,
    );
  }

  return port;
}

/** Fans one inspection event out to several observers. */
function both(
  observers: Observer<InspectionEvent>[],
): Observer<InspectionEvent> | undefined {
  if (observers.length <= 1) return observers[0];

  return {
    next(event) {
      for (const observer of observers) observer.next?.(event);
    },
  };
}

/**
 * Sets up `--html` and `--inspect` for one replay: the report's recorder
 * and the live inspector share the engine's one inspection observer.
 *
 * @example
 * const observing = await startObserving(io, values, 'salesOrder', file);
 */
export async function startObserving(
  io: Io,
  values: {
    html?: string;
    db?: string;
    inspect?: boolean;
    'inspect-port'?: string;
  },
  orderTarget: OrderTarget,
  file: string,
): Promise<Observing> {
  const htmlPath = values.html;
  if (htmlPath === '') throw new CliError('replay: --html needs a file path');
  if (htmlPath !== undefined) {
    const page = path.resolve(htmlPath);
    for (const [what, other] of [
      ['the input log', file === '-' ? undefined : file],
      ['the --db store', values.db],
    ] as const) {
      if (other !== undefined && path.resolve(other) === page) {
        throw new CliError(
          `replay: --html ${htmlPath} would overwrite ${what}; pick another path`,
        );
      }
    }
  }
  if (values['inspect-port'] !== undefined && !values.inspect) {
    throw new CliError('replay: --inspect-port goes with --inspect');
  }

  const port = portOf(values['inspect-port']);
  const recorder =
    htmlPath !== undefined ? createReportRecorder(orderTarget) : undefined;
  let inspection: Inspection | undefined;
  if (values.inspect) inspection = await startInspection(io, port);

  const observers: Observer<InspectionEvent>[] = [];
  if (recorder) observers.push(recorder.inspect);
  if (inspection) observers.push(inspection.observer);
  let closed = false;
  const inspect = both(observers);

  return {
    ...(inspect ? { inspect } : {}),
    tap: (source) => (recorder ? recorder.tap(source) : source),
    onResult(result, records) {
      recorder?.onResult(result, records);
    },
    async finish(engine, summary) {
      if (recorder && htmlPath !== undefined) {
        const title = file === '-' ? 'stdin' : path.basename(file);
        const page = renderReport(recorder.build(engine, title), { summary });
        try {
          fs.writeFileSync(htmlPath, page);
        } catch (error) {
          const message =
            error instanceof Error ? error.message : String(error);

          throw new CliError(`cannot write ${htmlPath}: ${message}`);
        }
        io.err(`lienthong: wrote ${htmlPath}\n`);
      }
      if (inspection && !closed) {
        closed = true;
        await inspection.finish(isTerminal(io));
      }
    },
    async close() {
      if (inspection && !closed) {
        closed = true;
        await inspection.finish(false);
      }
    },
  };
}

function isTerminal(io: Io): boolean {
  return (io.stdin as { isTTY?: boolean }).isTTY === true;
}
