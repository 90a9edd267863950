/** The two apps that lienthong connects. */
export type App = 'crm' | 'act';

/** What an ACT connection keeps CRM orders as: Sales Orders or Contracts. */
export type OrderTarget = 'salesOrder' | 'contract';

/** How one event ended, in the order of the checks that decide it. */
export type Outcome =
  'applied' | 'duplicate' | 'stale' | 'invalid' | 'conflict' | 'parked';

/** Every outcome, in the order the summary prints them. */
export const OUTCOMES: readonly Outcome[] = [
  'applied',
  'duplicate',
  'stale',
  'invalid',
  'conflict',
  'parked',
];

/** A JSON value as stored in contexts, views and commands. */
export type Json =
  string | number | boolean | null | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** One write to run on the other app, decided by the rule it names. */
export interface Command {
  target: App;
  type: string;
  rule: string;
  key: string;
  data: JsonObject;
}

/** Something people should know about an applied event. */
export interface Notice {
  code: string;
  message: string;
  field?: string;
  amount?: string;
}

/** Why an event was invalid, conflicting or parked. */
export interface ResultError {
  code: string;
  message: string;
  field?: string;
}

/** The report for one input event (SYNC-RULES §6). */
export interface Result {
  line?: number;
  event: string | null;
  outcome: Outcome;
  rules: string[];
  commands: Command[];
  notices: Notice[];
  error?: ResultError;
}

/**
 * An input event after validation: text in NFC, the key trimmed, decimals as
 * canonical strings and `data` always an object.
 */
export interface SyncEvent {
  id: string;
  source: App;
  type: string;
  at: string;
  key: string;
  version?: number;
  data: JsonObject;
}
