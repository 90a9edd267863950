/**
 * The input contract (SYNC-RULES §5): validation of one event, normalised for the
 * engine.
 *
 * `parseEvent` never throws on its input. It reports the first problem it finds,
 * checking in this order: the JSON shape (depth, plain values), the envelope
 * (`id`, `source`, `type`, `at`, `key`, `version`, `data`), then the fields of
 * `data` in the order the table of §5 lists them, depth first. An accepted event
 * has every string in NFC, its key and the codes inside `data` trimmed, its
 * decimals as canonical strings, and `data` as an object, with fields the schema
 * does not know carried along unchanged.
 */
import { z } from 'zod';
import type {
  App,
  Json,
  JsonObject,
  OrderTarget,
  ResultError,
  SyncEvent,
} from '../types.js';
import { isNegative, toDecimalString } from './decimal.js';

/** The error codes `parseEvent` reports, each in `ResultError.code`. */
export type EventErrorCode =
  /** The input is not a JSON object. */
  | 'notObject'
  /** A string holds a lone surrogate: not Unicode text. */
  | 'badText'
  /** A value that JSON cannot hold (a function, NaN, a Date…). */
  | 'notJson'
  /** Objects and arrays nested deeper than {@link MAX_DEPTH}. */
  | 'tooDeep'
  /** A required field is absent. */
  | 'missingField'
  /** A field holds the wrong kind of JSON value. */
  | 'wrongType'
  /** A string that must not be empty (after trimming, for codes) is. */
  | 'emptyField'
  /** `source` is neither "crm" nor "act". */
  | 'badSource'
  /** `type` is not an event of §5 for its source. */
  | 'unknownType'
  /** A Contract event on a Sales Order connection, or the reverse. */
  | 'wrongOrderTarget'
  /** `at` is not an ISO 8601 date-time with an offset. */
  | 'badTimestamp'
  /** `version` is not an integer ≥ 1. */
  | 'badVersion'
  /** A number is neither a JSON number nor a plain decimal string. */
  | 'badNumber'
  /** A JSON number with more than 15 significant digits. */
  | 'tooManyDigits'
  /** A negative quantity or amount (only `remainingAmount` may be negative). */
  | 'negativeNumber'
  /** A VND amount with a non-zero fraction. */
  | 'fractionalAmount'
  /** A date that is not a real `YYYY-MM-DD` calendar date. */
  | 'badDate'
  /** A status code that the field or the event does not allow. */
  | 'badStatus'
  /** `currency` is not three capital letters (an ISO 4217 code). */
  | 'badCurrency'
  /** Two entries of `lines` name the same line. */
  | 'duplicateLine'
  /** Reading the input failed (a getter or proxy that throws). */
  | 'unreadable';

export interface ParseEventOptions {
  /** The connection's order target: decides which of `salesOrder.*` and `contract.*` is allowed. */
  orderTarget: OrderTarget;
  /**
   * The currency of the record an event is about, used when the event carries
   * no `currency` of its own. Called with the trimmed key and the type.
   * `undefined` means VND.
   */
  currencyOf?: (key: string, type: string) => string | undefined;
}

export type ParseEventResult =
  | { ok: true; event: SyncEvent }
  | { ok: false; eventId: string | null; error: ResultError };

/** The deepest nesting of objects and arrays accepted, the event object included. */
export const MAX_DEPTH = 64;
/** The longest decimal string accepted. */
export const MAX_DECIMAL_LENGTH = 40;
/** The most significant digits a JSON number may carry. */
export const MAX_NUMBER_DIGITS = 15;

// ---------------------------------------------------------------------------
// Event types (§5)

const CUSTOMER_VERBS = [
  'created',
  'imported',
  'updated',
  'deleted',
  'merged',
] as const;

function typesOf(noun: string, verbs: readonly string[]): string[] {
  return verbs.map((verb) => `${noun}.${verb}`);
}

const CRM_TYPES: readonly string[] = [
  ...typesOf('customer', CUSTOMER_VERBS),
  ...typesOf('contact', CUSTOMER_VERBS),
  ...typesOf('product', CUSTOMER_VERBS),
  ...typesOf('quote', ['created', 'updated', 'deleted', 'imported']),
  ...typesOf('order', [
    'created',
    'imported',
    'updated',
    'deleted',
    'proposed',
    'recorded',
    'withdrawn',
    'rejected',
    'cancellationProposed',
  ]),
  ...typesOf('invoice', [
    'created',
    'imported',
    'updated',
    'deleted',
    'proposed',
    'withdrawn',
  ]),
];

const ACT_TYPES: readonly string[] = [
  ...typesOf('customer', [...CUSTOMER_VERBS, 'fetched']),
  ...typesOf('product', CUSTOMER_VERBS),
  ...typesOf('salesOrder', [
    'revenueRecorded',
    'revenueUnrecorded',
    'fulfilmentUpdated',
    'statusUpdated',
  ]),
  ...typesOf('contract', [
    'statusUpdated',
    'edited',
    'revenueRecorded',
    'revenueRejected',
    'revenueUnrecorded',
    'revenueDateMoved',
    'invoicingUpdated',
    'paymentDeadlineUpdated',
    'receiptsUpdated',
    'cancellationApproved',
    'cancellationRejected',
  ]),
  ...typesOf('invoice', [
    'approved',
    'rejected',
    'issued',
    'issuanceRejected',
    'cancelled',
  ]),
];

/** Every event type of §5, by the app that sends it. */
export const EVENT_TYPES: Readonly<Record<App, readonly string[]>> = {
  crm: CRM_TYPES,
  act: ACT_TYPES,
};

const KNOWN_TYPES: Readonly<Record<App, ReadonlySet<string>>> = {
  crm: new Set(CRM_TYPES),
  act: new Set(ACT_TYPES),
};

/** The order target an event type belongs to, or `undefined` when it fits both. */
export function orderTargetOf(type: string): OrderTarget | undefined {
  if (type.startsWith('salesOrder.')) return 'salesOrder';
  if (type.startsWith('contract.')) return 'contract';
  return undefined;
}

const TARGET_LABEL: Record<OrderTarget, string> = {
  salesOrder: 'Sales Order',
  contract: 'Contract',
};

// ---------------------------------------------------------------------------
// Normalised input: JSON values with strings in NFC, objects without prototype

type Raw = null | boolean | number | string | RawArray | RawObject;
type RawArray = Raw[];
interface RawObject {
  [key: string]: Raw;
}

type PathItem = string | number;

class InputProblem {
  constructor(
    readonly code: EventErrorCode,
    readonly path: readonly PathItem[],
    readonly phrase: string,
  ) {}
}

function isRawObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own data property, whatever the key (including `__proto__`). */
function defineValue(target: object, key: string, value: unknown): void {
  // Plain assignment is several times faster; only `__proto__` needs care.
  if (key !== '__proto__') {
    (target as Record<string, unknown>)[key] = value;

    return;
  }
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function isPlainPrototype(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/**
 * A copy of a JSON-like value with every string and key in NFC and every object
 * without prototype. Containers are counted before descending, so a hostile
 * depth never reaches the stack limit.
 */
function normalise(value: unknown, path: PathItem[], depth: number): Raw {
  switch (typeof value) {
    case 'string':
      // A lone surrogate is valid JSON but no text: it cannot be stored or
      // sent as UTF-8, and two such codes would end up one.
      if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed()) {
        throw new InputProblem(
          'badText',
          path,
          'is not well-formed Unicode text (it holds a lone surrogate)',
        );
      }

      return value.normalize('NFC');
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new InputProblem(
          'notJson',
          path,
          `is not a JSON value (got ${String(value)})`,
        );
      }
      return value;
    case 'object':
      break;
    default:
      throw new InputProblem(
        'notJson',
        path,
        `is not a JSON value (got ${typeof value})`,
      );
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) {
    throw new InputProblem(
      'tooDeep',
      path,
      `is nested too deeply (more than ${MAX_DEPTH} levels of objects and arrays)`,
    );
  }
  if (Array.isArray(value)) {
    const out: RawArray = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      path.push(i);
      if (item === undefined) {
        throw new InputProblem(
          'notJson',
          path,
          'is not a JSON value (got undefined)',
        );
      }
      out.push(normalise(item, path, depth + 1));
      path.pop();
    }
    return out;
  }
  if (!isPlainPrototype(value)) {
    throw new InputProblem(
      'notJson',
      path,
      'is not a JSON value (got a non-plain object)',
    );
  }
  const out = Object.create(null) as RawObject;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const item = source[key];
    if (item === undefined) continue;
    const nfcKey = key.normalize('NFC');
    path.push(nfcKey);
    defineValue(out, nfcKey, normalise(item, path, depth + 1));
    path.pop();
  }
  return out;
}

/**
 * The plain JSON value for the event: `parsed` (the schema's output) where it has
 * a value, the normalised input elsewhere. Every object is rebuilt as a plain
 * object with own properties, so a `__proto__` key stays an ordinary field.
 */
function toJson(raw: Raw, parsed: unknown, hasParsed: boolean): Json {
  if (hasParsed && (parsed === null || typeof parsed !== 'object')) {
    return parsed as Json;
  }
  if (Array.isArray(raw)) {
    const p =
      hasParsed && Array.isArray(parsed) ? (parsed as unknown[]) : undefined;
    return raw.map((item, i) =>
      toJson(item, p?.[i], p !== undefined && i < p.length),
    );
  }
  if (isRawObject(raw)) {
    const p =
      hasParsed && isRawObject(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined;
    const out: JsonObject = {};
    for (const key of Object.keys(raw)) {
      const has = p !== undefined && Object.hasOwn(p, key);
      defineValue(
        out,
        key,
        toJson(raw[key] as Raw, has ? p[key] : undefined, has),
      );
    }
    return out;
  }
  return raw;
}

// ---------------------------------------------------------------------------
// Messages

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const item of path) {
    if (typeof item === 'number') out += `[${item}]`;
    else if (typeof item === 'symbol') out += `[${String(item)}]`;
    else if (IDENTIFIER.test(item)) out += out === '' ? item : `.${item}`;
    else out += `[${JSON.stringify(clip(item))}]`;
  }
  return out;
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(clip(value));
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

const EXPECTED: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
};

function lookup(root: Raw, path: readonly PropertyKey[]): Raw | undefined {
  let current: Raw | undefined = root;
  for (const item of path) {
    if (Array.isArray(current) && typeof item === 'number')
      current = current[item];
    else if (isRawObject(current) && typeof item === 'string') {
      current = Object.hasOwn(current, item) ? current[item] : undefined;
    } else return undefined;
  }
  return current;
}

function problem(
  code: EventErrorCode,
  field: string,
  phrase: string,
): ResultError {
  return field === ''
    ? { code, message: phrase }
    : { code, message: `${field} ${phrase}`, field };
}

/** The first zod issue, as the §6 error; `root` is the value that was parsed at `prefix`. */
function issueToError(
  issue: z.core.$ZodIssue,
  prefix: readonly PathItem[],
  root: Raw,
): ResultError {
  const field = formatPath([...prefix, ...issue.path]);
  if (issue.code === 'custom') {
    const code =
      (issue.params as { code?: EventErrorCode } | undefined)?.code ??
      'wrongType';
    return problem(code, field, issue.message);
  }
  if (issue.code === 'invalid_type') {
    const actual = lookup(root, issue.path);
    if (actual === undefined)
      return problem('missingField', field, 'is required');
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    return problem(
      'wrongType',
      field,
      `must be ${expected} (got ${describe(actual)})`,
    );
  }
  return problem('wrongType', field, `is not valid: ${issue.message}`);
}

// ---------------------------------------------------------------------------
// Field schemas. Each leaf reads an unknown value and reports its own problem as a
// custom issue whose `params.code` is the error code and whose message is the
// predicate of the sentence (the field's path goes in front).

type Ctx = z.core.$RefinementCtx<unknown>;

function fail(
  ctx: Ctx,
  code: EventErrorCode,
  phrase: string,
  input: unknown,
): never {
  ctx.issues.push({ code: 'custom', message: phrase, params: { code }, input });
  return z.NEVER;
}

function leaf<T>(read: (value: unknown, ctx: Ctx) => T) {
  return z.unknown().transform((value, ctx) => {
    if (value === undefined)
      return fail(ctx, 'missingField', 'is required', value);
    return read(value, ctx);
  });
}

/** A string that is not empty (taken as given, not trimmed). */
const nonEmptyText = () =>
  leaf((value, ctx) => {
    if (typeof value !== 'string') {
      return fail(
        ctx,
        'wrongType',
        `must be a string (got ${describe(value)})`,
        value,
      );
    }
    return value === ''
      ? fail(ctx, 'emptyField', 'must not be empty', value)
      : value;
  });

/** Any string. */
const text = () =>
  leaf((value, ctx) =>
    typeof value === 'string'
      ? value
      : fail(
          ctx,
          'wrongType',
          `must be a string (got ${describe(value)})`,
          value,
        ),
  );

/** A record code or other identifier: a string, trimmed, not empty. */
const code = () =>
  leaf((value, ctx) => {
    if (typeof value !== 'string') {
      return fail(
        ctx,
        'wrongType',
        `must be a string (got ${describe(value)})`,
        value,
      );
    }
    const trimmed = value.trim();
    return trimmed === ''
      ? fail(ctx, 'emptyField', 'must not be empty', value)
      : trimmed;
  });

/** A line number: a code given as a string or a JSON number, always output as a string. */
const lineId = () =>
  leaf((value, ctx) => {
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string') {
      return fail(
        ctx,
        'wrongType',
        `must be a string or a number (got ${describe(value)})`,
        value,
      );
    }
    const trimmed = value.trim();
    return trimmed === ''
      ? fail(ctx, 'emptyField', 'must not be empty', value)
      : trimmed;
  });

const bool = () =>
  leaf((value, ctx) =>
    typeof value === 'boolean'
      ? value
      : fail(
          ctx,
          'wrongType',
          `must be true or false (got ${describe(value)})`,
          value,
        ),
  );

/** One of a fixed set of codes. */
const oneOf = (values: readonly string[], badCode: EventErrorCode) =>
  leaf((value, ctx) => {
    if (typeof value !== 'string') {
      return fail(
        ctx,
        'wrongType',
        `must be a string (got ${describe(value)})`,
        value,
      );
    }
    return values.includes(value)
      ? value
      : fail(
          ctx,
          badCode,
          `must be one of ${values.join(', ')} (got ${describe(value)})`,
          value,
        );
  });

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

function isCalendarDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days =
    [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

/** A calendar date, `YYYY-MM-DD`. */
const date = () =>
  leaf((value, ctx) => {
    if (typeof value !== 'string') {
      return fail(
        ctx,
        'wrongType',
        `must be a date string (got ${describe(value)})`,
        value,
      );
    }
    const m = DATE.exec(value);
    if (m === null || !isCalendarDate(m[1] ?? '', m[2] ?? '', m[3] ?? '')) {
      return fail(
        ctx,
        'badDate',
        `must be a real date written YYYY-MM-DD (got ${describe(value)})`,
        value,
      );
    }
    return value;
  });

/** An ISO 8601 date-time with an offset (`Z` or `±hh:mm`). */
const timestamp = () =>
  leaf((value, ctx) => {
    if (typeof value !== 'string') {
      return fail(
        ctx,
        'wrongType',
        `must be a date-time string (got ${describe(value)})`,
        value,
      );
    }
    const m = TIMESTAMP.exec(value);
    const ok =
      m !== null &&
      isCalendarDate(m[1] ?? '', m[2] ?? '', m[3] ?? '') &&
      Number(m[4]) < 24 &&
      Number(m[5]) < 60 &&
      Number(m[6] ?? '0') < 60 &&
      Number(m[7] ?? '0') < 24 &&
      Number(m[8] ?? '0') < 60;
    return ok
      ? value
      : fail(
          ctx,
          'badTimestamp',
          `must be an ISO 8601 date-time with an offset, such as ` +
            `2026-11-02T09:00:00+07:00 (got ${describe(value)})`,
          value,
        );
  });

const version = () =>
  leaf((value, ctx) => {
    if (typeof value !== 'number') {
      return fail(
        ctx,
        'wrongType',
        `must be a JSON number (got ${describe(value)})`,
        value,
      );
    }
    return Number.isSafeInteger(value) && value >= 1
      ? value
      : fail(
          ctx,
          'badVersion',
          `must be a whole number of at least 1 (got ${String(value)})`,
          value,
        );
  });

const dataObject = () =>
  leaf((value, ctx) =>
    isRawObject(value)
      ? value
      : fail(
          ctx,
          'wrongType',
          `must be an object (got ${describe(value)})`,
          value,
        ),
  );

const CURRENCY = /^[A-Z]{3}$/;

const currency = () =>
  leaf((value, ctx) => {
    if (typeof value !== 'string') {
      return fail(
        ctx,
        'wrongType',
        `must be a string (got ${describe(value)})`,
        value,
      );
    }
    const trimmed = value.trim();
    return CURRENCY.test(trimmed)
      ? trimmed
      : fail(
          ctx,
          'badCurrency',
          `must be a three-letter currency code such as VND (got ${describe(value)})`,
          value,
        );
  });

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** Significant digits of a JS number as JSON writes it: 1.50e-7 → 2, 1200 → 2. */
function significantDigits(value: number): number {
  const mantissa = String(value).replace(/^-/, '').split('e')[0] ?? '';
  return mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
}

interface DecimalKind {
  /** An amount of money: whole đồng when the currency is VND. */
  money: boolean;
  /** May be negative (`remainingAmount`). */
  signed: boolean;
  /** The event's currency is VND. */
  vnd: boolean;
}

/** A quantity or an amount: a JSON number or a decimal string, output canonical. */
const decimal = (kind: DecimalKind) =>
  leaf((value, ctx) => {
    let canonical: string;
    if (typeof value === 'number') {
      if (significantDigits(value) > MAX_NUMBER_DIGITS) {
        return fail(
          ctx,
          'tooManyDigits',
          `has more than ${MAX_NUMBER_DIGITS} significant digits as a ` +
            `JSON number (got ${String(value)}); send it as a decimal ` +
            `string`,
          value,
        );
      }
      canonical = toDecimalString(value);
    } else if (typeof value === 'string') {
      if (value.length > MAX_DECIMAL_LENGTH || !DECIMAL_TEXT.test(value)) {
        return fail(
          ctx,
          'badNumber',
          `must be a decimal number of at most ${MAX_DECIMAL_LENGTH} ` +
            `characters, such as 12 or 3.5 (got ${describe(value)})`,
          value,
        );
      }
      canonical = toDecimalString(value);
    } else {
      return fail(
        ctx,
        'wrongType',
        `must be a number or a decimal string (got ${describe(value)})`,
        value,
      );
    }
    if (!kind.signed && isNegative(canonical)) {
      return fail(
        ctx,
        'negativeNumber',
        `must not be negative (got ${canonical})`,
        value,
      );
    }
    if (kind.money && kind.vnd && canonical.includes('.')) {
      return fail(
        ctx,
        'fractionalAmount',
        `must be a whole number of đồng in VND (got ${canonical})`,
        value,
      );
    }
    return canonical;
  });

/** Rejects two entries of a `lines` array that name the same line. */
function uniqueLines(lines: readonly { line?: string }[], ctx: Ctx): void {
  const seen = new Map<string, number>();
  lines.forEach((entry, i) => {
    if (entry.line === undefined) return;
    const first = seen.get(entry.line);
    if (first === undefined) {
      seen.set(entry.line, i);
      return;
    }
    ctx.issues.push({
      code: 'custom',
      message: `repeats line ${JSON.stringify(clip(entry.line))} of lines[${first}]`,
      params: { code: 'duplicateLine' },
      path: [i, 'line'],
      input: entry.line,
    });
  });
}

const REVENUE_STATUSES = ['draft', 'proposed', 'recorded', 'rejected'] as const;
const INITIAL_STATUSES = ['draft', 'proposed'] as const;
const ORDER_STATUSES = [
  'notStarted',
  'inProgress',
  'fullyDelivered',
  'completed',
  'cancelled',
] as const;
const INVOICE_STATUSES = [
  'draft',
  'proposed',
  'approved',
  'rejected',
  'issued',
  'issuanceRejected',
  'cancelled',
] as const;

type Shape = Record<string, z.ZodType>;

interface ShapeDef {
  sources: readonly App[];
  types: readonly string[];
  shape: (vnd: boolean) => Shape;
}

const CRM: readonly App[] = ['crm'];
const ACT: readonly App[] = ['act'];
const BOTH: readonly App[] = ['crm', 'act'];

const money = (vnd: boolean) => decimal({ money: true, signed: false, vnd });
const quantity = () => decimal({ money: false, signed: false, vnd: false });

function orderLines(vnd: boolean) {
  return z
    .array(
      z.object({
        line: lineId(),
        product: code().optional(),
        quantity: quantity(),
        unitPrice: money(vnd),
      }),
    )
    .superRefine(uniqueLines);
}

function orderShape(vnd: boolean, initial: boolean): Shape {
  return {
    revenueStatus: initial
      ? oneOf(INITIAL_STATUSES, 'badStatus')
      : oneOf(REVENUE_STATUSES, 'badStatus').optional(),
    customer: code().optional(),
    lines: initial ? orderLines(vnd) : orderLines(vnd).optional(),
    total: money(vnd).optional(),
    deliveryDeadline: date().optional(),
    paymentDeadline: date().optional(),
  };
}

function receiptsShape(vnd: boolean): Shape {
  return {
    receivedAmount: money(vnd).optional(),
    remainingAmount: decimal({ money: true, signed: true, vnd }).optional(),
    receipts: z
      .array(
        z.object({
          number: code().optional(),
          date: date().optional(),
          amount: money(vnd).optional(),
        }),
      )
      .optional(),
  };
}

const SHAPES: readonly ShapeDef[] = [
  // Customers and contacts
  {
    sources: CRM,
    types: [
      'customer.created',
      'customer.imported',
      'contact.created',
      'contact.imported',
    ],
    shape: () => ({ name: text(), personal: bool().optional() }),
  },
  {
    sources: CRM,
    types: [
      'customer.updated',
      'customer.deleted',
      'contact.updated',
      'contact.deleted',
    ],
    shape: () => ({ name: text().optional(), personal: bool().optional() }),
  },
  {
    sources: CRM,
    types: ['customer.merged', 'contact.merged'],
    shape: () => ({
      name: text().optional(),
      personal: bool().optional(),
      into: code().optional(),
    }),
  },
  {
    sources: ACT,
    types: ['customer.created', 'customer.imported'],
    shape: () => ({
      name: text(),
      personal: bool().optional(),
      salesEmployee: code().optional(),
    }),
  },
  {
    sources: ACT,
    types: ['customer.updated', 'customer.deleted'],
    shape: () => ({
      name: text().optional(),
      personal: bool().optional(),
      salesEmployee: code().optional(),
    }),
  },
  {
    sources: ACT,
    types: ['customer.merged'],
    shape: () => ({
      name: text().optional(),
      personal: bool().optional(),
      salesEmployee: code().optional(),
      into: code().optional(),
    }),
  },
  {
    sources: ACT,
    types: ['customer.fetched'],
    shape: () => ({ name: text().optional() }),
  },
  // Products
  {
    sources: BOTH,
    types: ['product.created', 'product.imported'],
    shape: (vnd) => ({
      name: text(),
      unit: text().optional(),
      price: money(vnd).optional(),
    }),
  },
  {
    sources: BOTH,
    types: ['product.updated', 'product.deleted'],
    shape: (vnd) => ({
      name: text().optional(),
      unit: text().optional(),
      price: money(vnd).optional(),
    }),
  },
  {
    sources: BOTH,
    types: ['product.merged'],
    shape: (vnd) => ({
      name: text().optional(),
      unit: text().optional(),
      price: money(vnd).optional(),
      into: code().optional(),
    }),
  },
  // Quotes
  {
    sources: CRM,
    types: [
      'quote.created',
      'quote.updated',
      'quote.deleted',
      'quote.imported',
    ],
    shape: (vnd) => ({
      customer: code().optional(),
      lines: z
        .array(
          z.object({
            line: lineId().optional(),
            product: code().optional(),
            quantity: quantity().optional(),
            unitPrice: money(vnd).optional(),
          }),
        )
        .superRefine(uniqueLines)
        .optional(),
      total: money(vnd).optional(),
    }),
  },
  // Orders, from CRM
  {
    sources: CRM,
    types: ['order.created', 'order.imported'],
    shape: (vnd) => orderShape(vnd, true),
  },
  {
    sources: CRM,
    types: ['order.updated'],
    shape: (vnd) => orderShape(vnd, false),
  },
  {
    sources: CRM,
    types: [
      'order.deleted',
      'order.proposed',
      'order.recorded',
      'order.withdrawn',
    ],
    shape: () => ({}),
  },
  {
    sources: CRM,
    types: ['order.rejected'],
    shape: () => ({ reason: text().optional() }),
  },
  {
    sources: CRM,
    types: ['order.cancellationProposed'],
    shape: (vnd) => ({
      proposal: code(),
      amount: money(vnd),
      date: date().optional(),
      reason: text().optional(),
    }),
  },
  // Sales Orders, from ACT
  {
    sources: ACT,
    types: ['salesOrder.revenueRecorded', 'contract.revenueRecorded'],
    shape: (vnd) => ({ postingDate: date(), amount: money(vnd) }),
  },
  {
    sources: ACT,
    types: ['salesOrder.revenueUnrecorded'],
    shape: (vnd) => ({
      postingDate: date().optional(),
      amount: money(vnd).optional(),
    }),
  },
  {
    sources: ACT,
    types: ['salesOrder.fulfilmentUpdated'],
    shape: (vnd) => ({
      lines: z
        .array(z.object({ line: lineId(), deliveredQuantity: quantity() }))
        .superRefine(uniqueLines)
        .optional(),
      invoicedAmount: money(vnd).optional(),
      ...receiptsShape(vnd),
    }),
  },
  {
    sources: ACT,
    types: ['salesOrder.statusUpdated', 'contract.statusUpdated'],
    shape: () => ({ status: oneOf(ORDER_STATUSES, 'badStatus') }),
  },
  // Contracts, from ACT
  {
    sources: ACT,
    types: ['contract.edited'],
    shape: () => ({
      status: oneOf(ORDER_STATUSES, 'badStatus').optional(),
      deliveryDeadline: date().optional(),
      paymentDeadline: date().optional(),
      invoiced: bool().optional(),
      paymentDate: date().optional(),
    }),
  },
  {
    sources: ACT,
    types: ['contract.revenueRejected', 'contract.revenueUnrecorded'],
    shape: (vnd) => ({
      postingDate: date().optional(),
      amount: money(vnd).optional(),
      reason: text().optional(),
    }),
  },
  {
    sources: ACT,
    types: ['contract.revenueDateMoved'],
    shape: () => ({ postingDate: date() }),
  },
  {
    sources: ACT,
    types: ['contract.invoicingUpdated'],
    shape: (vnd) => ({
      invoiced: bool().optional(),
      invoiceDate: date().optional(),
      invoicedAmount: money(vnd).optional(),
    }),
  },
  {
    sources: ACT,
    types: ['contract.paymentDeadlineUpdated'],
    shape: () => ({ paymentDeadline: date() }),
  },
  {
    sources: ACT,
    types: ['contract.receiptsUpdated'],
    shape: (vnd) => receiptsShape(vnd),
  },
  {
    sources: ACT,
    types: ['contract.cancellationApproved', 'contract.cancellationRejected'],
    shape: () => ({ proposal: code(), reason: text().optional() }),
  },
  // Invoices
  {
    sources: CRM,
    types: ['invoice.created', 'invoice.imported'],
    shape: (vnd) => ({
      order: code(),
      status: oneOf(INITIAL_STATUSES, 'badStatus'),
      amount: money(vnd).optional(),
      description: text().optional(),
    }),
  },
  {
    sources: CRM,
    types: ['invoice.updated'],
    shape: (vnd) => ({
      status: oneOf(INVOICE_STATUSES, 'badStatus').optional(),
      amount: money(vnd).optional(),
      description: text().optional(),
    }),
  },
  {
    sources: CRM,
    types: ['invoice.deleted', 'invoice.proposed', 'invoice.withdrawn'],
    shape: () => ({}),
  },
  {
    sources: ACT,
    types: [
      'invoice.approved',
      'invoice.rejected',
      'invoice.issuanceRejected',
      'invoice.cancelled',
    ],
    shape: () => ({ reason: text().optional() }),
  },
  {
    sources: ACT,
    types: ['invoice.issued'],
    shape: () => ({ number: code(), date: date() }),
  },
];

const SHAPE_BY_TYPE = new Map<string, ShapeDef>();
for (const def of SHAPES) {
  for (const source of def.sources) {
    for (const type of def.types) SHAPE_BY_TYPE.set(`${source} ${type}`, def);
  }
}

/** Built on first use: one schema per source, type and "is VND". */
const dataSchemas = new Map<string, z.ZodType>();

function dataSchema(source: App, type: string, vnd: boolean): z.ZodType {
  const cacheKey = `${source} ${type} ${vnd ? 'vnd' : 'other'}`;
  let schema = dataSchemas.get(cacheKey);
  if (schema === undefined) {
    const def = SHAPE_BY_TYPE.get(`${source} ${type}`);
    // `currency` comes first in every event: it decides how amounts are checked.
    schema = z.object({
      currency: currency().optional(),
      ...(def?.shape(vnd) ?? {}),
    });
    dataSchemas.set(cacheKey, schema);
  }
  return schema;
}

const envelopeHead = z.object({
  id: nonEmptyText(),
  source: oneOf(['crm', 'act'], 'badSource'),
  type: nonEmptyText(),
});

const envelopeTail = z.object({
  at: timestamp(),
  key: code(),
  version: version().optional(),
  data: dataObject().optional(),
});

// ---------------------------------------------------------------------------
// parseEvent

/**
 * Validates one event against §5 and returns it normalised, or the first problem
 * as a §6 error. Never throws on its input.
 */
export function parseEvent(
  input: unknown,
  options: ParseEventOptions,
): ParseEventResult {
  let eventId: string | null = null;
  const reject = (error: ResultError): ParseEventResult => ({
    ok: false,
    eventId,
    error,
  });
  try {
    // Read the id first, so that even an event too deep to read carries it.
    if (
      isRawObject(input) &&
      isPlainPrototype(input) &&
      typeof input.id === 'string'
    ) {
      eventId = input.id === '' ? null : input.id.normalize('NFC');
    }
    let raw: Raw;
    try {
      raw = normalise(input, [], 1);
    } catch (error) {
      if (!(error instanceof InputProblem)) throw error;
      const field = formatPath(error.path);
      return reject(
        problem(
          error.code,
          field,
          field === '' ? `the event ${error.phrase}` : error.phrase,
        ),
      );
    }
    if (!isRawObject(raw)) {
      return reject(
        problem(
          'notObject',
          '',
          `the event must be a JSON object (got ${describe(raw)})`,
        ),
      );
    }

    const head = envelopeHead.safeParse(raw);
    if (!head.success) return reject(firstError(head.error, [], raw));
    const { id, source, type } = head.data as {
      id: string;
      source: App;
      type: string;
    };
    if (!KNOWN_TYPES[source].has(type)) {
      const other: App = source === 'crm' ? 'act' : 'crm';
      const hint = KNOWN_TYPES[other].has(type) ? ` (${other} sends it)` : '';
      return reject(
        problem(
          'unknownType',
          'type',
          `${JSON.stringify(clip(type))} is not a known event type for source ${source}${hint}`,
        ),
      );
    }
    const target = orderTargetOf(type);
    if (target !== undefined && target !== options.orderTarget) {
      return reject(
        problem(
          'wrongOrderTarget',
          'type',
          `${type} is a ${TARGET_LABEL[target]} event, but this ` +
            `connection keeps orders as ` +
            `${TARGET_LABEL[options.orderTarget]}s`,
        ),
      );
    }

    const tail = envelopeTail.safeParse(raw);
    if (!tail.success) return reject(firstError(tail.error, [], raw));
    const {
      at,
      key,
      version: eventVersion,
    } = tail.data as {
      at: string;
      key: string;
      version?: number;
    };
    const rawData: RawObject = Object.hasOwn(raw, 'data')
      ? (raw.data as RawObject)
      : (Object.create(null) as RawObject);

    const vnd = isVnd(rawData, () => options.currencyOf?.(key, type));
    const parsedData = dataSchema(source, type, vnd).safeParse(rawData);
    if (!parsedData.success)
      return reject(firstError(parsedData.error, ['data'], rawData));

    const event: SyncEvent = {
      id,
      source,
      type,
      at,
      key,
      ...(eventVersion === undefined ? {} : { version: eventVersion }),
      data: toJson(rawData, parsedData.data, true) as JsonObject,
    };
    return { ok: true, event };
  } catch (error) {
    // A failing currencyOf is the caller's bug, not a problem with the input.
    if (error instanceof CallbackFailure) throw error.cause;
    const reason = error instanceof Error ? error.message : String(error);
    return reject(
      problem(
        'unreadable',
        '',
        `the event could not be read: ${clip(reason, 200)}`,
      ),
    );
  }
}

class CallbackFailure {
  constructor(readonly cause: unknown) {}
}

function firstError(
  error: z.ZodError,
  prefix: readonly PathItem[],
  root: Raw,
): ResultError {
  const issue = error.issues[0];
  if (issue === undefined)
    return problem('wrongType', formatPath(prefix), 'is not valid');
  return issueToError(issue, prefix, root);
}

function isVnd(data: RawObject, currencyOf: () => string | undefined): boolean {
  const given = Object.hasOwn(data, 'currency') ? data.currency : undefined;
  if (typeof given === 'string') return given.trim() === 'VND';
  if (given !== undefined) return true; // not a string: the schema reports it
  let known: string | undefined;
  try {
    known = currencyOf();
  } catch (error) {
    throw new CallbackFailure(error);
  }
  return known === undefined || known.trim() === 'VND';
}
