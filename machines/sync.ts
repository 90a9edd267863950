import { emit } from 'xstate';
import type {
  App,
  Command,
  Json,
  JsonObject,
  Notice,
  ResultError,
  SyncEvent,
} from '../src/types.js';

/**
 * Facts the engine reads from other records and hands to a machine with the
 * event, so that guards stay pure and read only their arguments.
 */
export interface EventFacts {
  /** Quote sync is on for this connection (QUO-C1). */
  syncQuotes?: boolean;
  /** One of the order's invoices is issued or was cancelled after issue. */
  orderHasIssuedInvoice?: boolean;
  /** Σ amounts of the order's cancellations still `proposed`. */
  pendingCancellationTotal?: string;
  /** The cancellation an ACT approve or reject names. */
  cancellation?: { amount: string; date: string | null };
}

/** An input event as a machine receives it. */
export interface MachineEvent<T extends string = string> extends Omit<
  SyncEvent,
  'type'
> {
  type: T;
  facts?: EventFacts;
}

/** What machines emit: the decision, the command, notices or a conflict. */
export type SyncEmitted =
  | { type: 'sync.applied'; rules: string[] }
  | { type: 'sync.command'; command: Command; always?: boolean }
  | { type: 'sync.notice'; notices: Notice[] }
  | { type: 'sync.conflict'; rules: string[]; error: ResultError };

/** Emits the rules that decided an applied event. */
export function applied(...rules: string[]) {
  // Typed `never` so that one helper fits every machine's action types.
  return emit({ type: 'sync.applied', rules } as SyncEmitted) as never;
}

/** Emits a conflict: the event changes nothing and sends nothing. */
export function conflict(
  rule: string,
  code: string,
  message: (event: MachineEvent) => string,
  field?: string,
) {
  return emit(({ event }: { event: MachineEvent }) => {
    const error: ResultError = { code, message: message(event) };
    if (field !== undefined) error.field = field;

    return { type: 'sync.conflict', rules: [rule], error } as SyncEmitted;
  }) as never;
}

/** Builds a command; `data` drops undefined values so it stays JSON. */
export function command(
  target: App,
  type: string,
  rule: string,
  key: string,
  data: Record<string, Json | undefined>,
): Command {
  return { target, type, rule, key, data: compact(data) };
}

/** Copies an object without its undefined values. */
export function compact(data: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(data)) {
    if (value !== undefined) out[name] = value;
  }

  return out;
}

/** A string field of event data, or undefined. */
export function text(data: JsonObject, name: string): string | undefined {
  const value = data[name];

  return typeof value === 'string' ? value : undefined;
}

/** A boolean field of event data, or undefined. */
export function flag(data: JsonObject, name: string): boolean | undefined {
  const value = data[name];

  return typeof value === 'boolean' ? value : undefined;
}

/** The calendar date an ISO timestamp names in its own offset. */
export function dateOf(at: string): string {
  return at.slice(0, 10);
}

/** Appends a reason to a description as a new line (INV-A2, INV-A5). */
export function appendLine(description: string | null, line: string) {
  if (!description) return line;

  return `${description}\n${line}`;
}
