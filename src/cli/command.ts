import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  createEngine,
  type Engine,
  type EngineOptions,
} from '../engine/engine.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import type { OrderTarget } from '../types.js';

/** Where a command reads and writes; `main` wires it to the process. */
export interface Io {
  /** Writes text to stdout as it is. */
  out(text: string): void;
  /** Writes text to stderr as it is. */
  err(text: string): void;
  stdin: NodeJS.ReadableStream;
  /** Whether stderr is a terminal (progress bars go there only then). */
  errIsTTY: boolean;
  /** The width of the terminal stdout writes to, when it is one. */
  outColumns?: number;
}

/** One `lienthong <name>` subcommand. */
export interface CliCommand {
  name: string;
  /** One line for `lienthong --help`. */
  summary: string;
  /** The full text of `lienthong <name> --help`. */
  usage: string;
  /** Runs the command and returns the process exit code. */
  run(args: string[], io: Io): Promise<number>;
}

/** A usage or I/O problem: printed as one line, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The options every command accepts. */
const COMMON = {
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The values of parsed options: strings or flags, absent when not given. */
export type OptionValues<T extends Options> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string;
} & { help?: boolean };

/**
 * Parses a command's arguments strictly, turning node's parse errors into a
 * one-line {@link CliError}.
 *
 * @example
 * const { values } = parseCommandArgs('state', args, { db: { type: 'string' } });
 */
export function parseCommandArgs<T extends Options>(
  command: string,
  args: string[],
  options: T,
): { values: OptionValues<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...COMMON, ...options },
      allowPositionals: true,
      strict: true,
    });

    return {
      values: parsed.values as OptionValues<T>,
      positionals: parsed.positionals,
    };
  } catch (error) {
    throw new CliError(`${command}: ${parseErrorMessage(error)}`);
  }
}

function parseErrorMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1] ?? message;

    return `unknown option ${option} (see --help)`;
  }

  // Node's messages run over several lines; the first one says it all.
  const first = (message.split('\n')[0] ?? message).replace(/\.$/, '');

  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** Reads `--target`, refusing anything but the two order targets. */
export function orderTargetOf(value: string | undefined): OrderTarget {
  if (value === undefined) return 'salesOrder';
  if (value === 'salesOrder' || value === 'contract') return value;

  throw new CliError(`unknown --target '${value}': use salesOrder or contract`);
}

/**
 * Opens the SQLite store at `db`, turning any failure into a
 * {@link CliError}; with `mustExist`, a path with no file is refused rather
 * than made into a new store.
 *
 * @example
 * const store = openStore('sync.db', true);
 */
export function openStore(db: string, mustExist = false): Store {
  if (mustExist && !fs.existsSync(db)) throw new CliError(`no store at ${db}`);

  try {
    return openSqliteStore(db);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);

    throw new CliError(`cannot open store ${db}: ${message}`);
  }
}

/** What {@link openEngine} needs. */
export interface OpenOptions {
  /** A store path; in memory when absent. */
  db?: string;
  orderTarget?: OrderTarget;
  syncQuotes?: boolean;
  /** Refuse a path with no store, rather than create one. */
  mustExist?: boolean;
  /** An XState inspection observer (`replay --inspect`, `--html`). */
  inspect?: EngineOptions['inspect'];
}

/**
 * Opens the engine on `--db` (or in memory), turning any failure to open the
 * store into a {@link CliError}.
 *
 * @example
 * const engine = openEngine({ db: 'sync.db', mustExist: true });
 */
export function openEngine(options: OpenOptions): Engine {
  const store = openStore(options.db ?? ':memory:', options.mustExist);

  try {
    return createEngine({
      store,
      ...(options.orderTarget ? { orderTarget: options.orderTarget } : {}),
      ...(options.syncQuotes !== undefined
        ? { syncQuotes: options.syncQuotes }
        : {}),
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
  } catch (error) {
    store.close();
    const message = error instanceof Error ? error.message : String(error);

    throw new CliError(
      `cannot use store ${options.db ?? ':memory:'}: ${message}`,
    );
  }
}

/** Requires `--db`, for commands that only read a store. */
export function requireDb(command: string, db: string | undefined): string {
  if (db === undefined || db === '') {
    throw new CliError(`${command}: --db <path> is required`);
  }

  return db;
}

/** Refuses positional arguments a command does not take. */
export function noPositionals(command: string, positionals: string[]) {
  if (positionals.length > 0) {
    throw new CliError(`${command}: unexpected argument '${positionals[0]}'`);
  }
}
