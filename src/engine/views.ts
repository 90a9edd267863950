import type { Command, Json, JsonObject } from '../types.js';

/** Whether two JSON values are equal, whatever their keys' order. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) {
    return false;
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;

  if (Array.isArray(a)) {
    const other = b as Json[];

    return (
      a.length === other.length &&
      a.every((item, index) => jsonEqual(item, other[index]))
    );
  }

  const left = a as JsonObject;
  const right = b as JsonObject;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;

  return keys.every((key) => key in right && jsonEqual(left[key], right[key]));
}

/** Command types that only write values and may be echoes (§4). */
function isWrite(type: string): boolean {
  return type.endsWith('.update') || type.endsWith('.upsert');
}

/** What the change check decided for one command. */
export interface Delivery {
  /** The command to send, or undefined when it would change nothing. */
  command?: Command;
  /** The other app's view once the command is sent. */
  view: JsonObject;
}

/**
 * Keeps a command only when it changes what its target app was last sent or
 * last reported (§4). An `.update` carries only the fields that change; an
 * `.upsert` carries the whole record; other commands always go, and a
 * `.delete` clears the view. `always`
 * forces the command through (a propose: the user asked for the sync).
 *
 * @example
 * sendIfChanged(command, { name: 'A' }, false).command; // undefined if same
 */
export function sendIfChanged(
  command: Command,
  view: JsonObject,
  always: boolean,
): Delivery {
  if (command.type.endsWith('.delete')) return { command, view: {} };
  // A create writes the record's fields; an action (markRecorded,
  // proposeCancellation…) carries arguments, not fields the app now shows.
  if (command.type.endsWith('.create')) {
    return { command, view: { ...view, ...command.data } };
  }
  if (!isWrite(command.type)) return { command, view };

  const changed = Object.keys(command.data).filter(
    (field) => !jsonEqual(command.data[field], view[field]),
  );
  if (changed.length === 0 && !always) return { view };

  const data: JsonObject = {};
  if (command.type.endsWith('.update') && !always) {
    for (const field of changed) data[field] = command.data[field]!;
  } else {
    Object.assign(data, command.data);
  }

  return { command: { ...command, data }, view: { ...view, ...command.data } };
}
