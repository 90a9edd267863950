import { assign, emit, setup } from 'xstate';
import {
  compareDecimals,
  subDecimals,
  sumDecimals,
  isZero,
} from '../src/events/decimal.js';
import type {
  DeliveryCode,
  OrderStatusCode,
  PaymentCode,
  RevenueCode,
} from '../src/rules/labels.js';
import type {
  App,
  Json,
  JsonObject,
  OrderTarget,
  Notice,
} from '../src/types.js';
import {
  deliveryNotices,
  deriveDelivery,
  derivePayment,
  netRevenue,
  orderTotal,
  paymentNotices,
  remainingOf,
  type OrderLine,
} from './order-figures.js';
import {
  applied,
  command,
  compact,
  conflict,
  dateOf,
  flag,
  text,
  type MachineEvent,
  type SyncEmitted,
} from './sync.js';

/** A row of the order's revenue table (Bảng ghi nhận doanh số). */
export interface RevenueRow {
  source: App;
  kind: 'recording' | 'cancellation';
  postingDate: string;
  amount: string;
  proposal?: string;
}

/** What an order machine remembers: the CRM order as both apps shaped it. */
export interface OrderContext {
  customer: string | null;
  currency: string;
  lines: OrderLine[];
  /** The latest total a CRM add, edit or import gave (§2). */
  total: string | null;
  deliveryDeadline: string | null;
  paymentDeadline: string | null;
  /** Other CRM fields, carried along to ACT unchanged. */
  extra: JsonObject;
  invoiced: boolean;
  invoiceDate: string | null;
  invoicedAmount: string;
  receivedAmount: string;
  remainingAmount: string | null;
  receipts: Json[];
  paymentDate: string | null;
  postingDate: string | null;
  revenueRows: RevenueRow[];
  status: OrderStatusCode;
  delivery: DeliveryCode;
  payment: PaymentCode;
  deleted: boolean;
}

/** Every event type an order machine handles. */
export type OrderEventType =
  | 'order.created'
  | 'order.imported'
  | 'order.updated'
  | 'order.deleted'
  | 'order.proposed'
  | 'order.recorded'
  | 'order.rejected'
  | 'order.withdrawn'
  | 'order.cancellationProposed'
  | 'salesOrder.revenueRecorded'
  | 'salesOrder.revenueUnrecorded'
  | 'salesOrder.fulfilmentUpdated'
  | 'salesOrder.statusUpdated'
  | 'contract.edited'
  | 'contract.statusUpdated'
  | 'contract.revenueRecorded'
  | 'contract.revenueRejected'
  | 'contract.revenueUnrecorded'
  | 'contract.revenueDateMoved'
  | 'contract.invoicingUpdated'
  | 'contract.paymentDeadlineUpdated'
  | 'contract.receiptsUpdated'
  | 'contract.cancellationApproved'
  | 'contract.cancellationRejected';

type OrderEvent = MachineEvent<OrderEventType>;

/** The five fields CT-A1 passes on to CRM; every other one is ignored. */
export const CONTRACT_EDIT_FIELDS = [
  'status',
  'deliveryDeadline',
  'paymentDeadline',
  'invoiced',
  'paymentDate',
] as const;

const KNOWN_ORDER_FIELDS = new Set([
  'revenueStatus',
  'customer',
  'currency',
  'lines',
  'total',
  'deliveryDeadline',
  'paymentDeadline',
]);

/** A fresh order: nothing delivered, nothing paid, not started. */
export function emptyOrderContext(): OrderContext {
  return {
    customer: null,
    currency: 'VND',
    lines: [],
    total: null,
    deliveryDeadline: null,
    paymentDeadline: null,
    extra: {},
    invoiced: false,
    invoiceDate: null,
    invoicedAmount: '0',
    receivedAmount: '0',
    remainingAmount: null,
    receipts: [],
    paymentDate: null,
    postingDate: null,
    revenueRows: [],
    status: 'notStarted',
    delivery: 'notDelivered',
    payment: 'unpaid',
    deleted: false,
  };
}

/** Rule ids and command types that differ between the two ACT targets. */
interface TargetRules {
  add: string;
  del: string;
  imp: string;
  propose: string;
  record: string;
  withdraw: string;
  cancel: string;
  actRecord: string;
  actStatus: string;
  upsert: string;
}

const TARGET_RULES: Record<OrderTarget, TargetRules> = {
  salesOrder: {
    add: 'SO-C1',
    del: 'SO-C2',
    imp: 'SO-C3',
    propose: 'SO-C4',
    record: 'SO-C5',
    withdraw: 'SO-C6',
    cancel: 'SO-C7',
    actRecord: 'SO-A1',
    actStatus: 'SO-A3',
    upsert: 'salesOrder.upsert',
  },
  contract: {
    add: 'CT-C1',
    del: 'CT-C2',
    imp: 'CT-C3',
    propose: 'CT-C4',
    record: 'CT-C5',
    withdraw: 'CT-C6',
    cancel: 'CT-C7',
    actRecord: 'CT-A3',
    actStatus: 'CT-A2',
    upsert: 'contract.upsert',
  },
};

/** The order as ACT's Sales Order or Contract receives it. */
export function actOrderData(
  context: OrderContext,
  revenueStatus: RevenueCode,
): JsonObject {
  return compact({
    ...context.extra,
    customer: context.customer ?? undefined,
    currency: context.currency,
    lines: context.lines.map((line) =>
      compact({
        line: line.line,
        product: line.product ?? undefined,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
      }),
    ),
    total: orderTotal(context),
    deliveryDeadline: context.deliveryDeadline ?? undefined,
    paymentDeadline: context.paymentDeadline ?? undefined,
    revenueStatus,
  });
}

/** The fields of a CRM order that ACT writes, as CRM should now show them. */
export function crmOrderView(
  context: OrderContext,
  revenueStatus: RevenueCode,
  target: OrderTarget,
): JsonObject {
  const view: JsonObject = {};
  for (const field of CRM_ORDER_FIELDS) {
    if (field === 'deliveryStatus' && target !== 'salesOrder') continue;

    view[field] = crmOrderField(context, revenueStatus, field);
  }

  return view;
}

/** The fields of a CRM order that ACT writes (§3 SO-A*, CT-A*). */
const CRM_ORDER_FIELDS = [
  'revenueStatus',
  'revenueRows',
  'postingDate',
  'status',
  'lines',
  'paymentStatus',
  'invoicedAmount',
  'receivedAmount',
  'remainingAmount',
  'receipts',
  'deliveryDeadline',
  'paymentDeadline',
  'invoiced',
  'invoiceDate',
  'paymentDate',
  'deliveryStatus',
] as const;

/** One field of {@link crmOrderView}, computed alone. */
function crmOrderField(
  context: OrderContext,
  revenueStatus: RevenueCode,
  field: string,
): Json {
  switch (field) {
    case 'revenueStatus':
      return revenueStatus;
    case 'revenueRows':
      return context.revenueRows as unknown as Json;
    case 'lines':
      return deliveredLines(context);
    case 'paymentStatus':
      return context.payment;
    case 'deliveryStatus':
      return context.delivery;
    case 'remainingAmount':
      return remainingOf(context);
    default:
      return (context as unknown as JsonObject)[field] ?? null;
  }
}

function deliveredLines(context: OrderContext): Json {
  return context.lines.map((line) => ({
    line: line.line,
    deliveredQuantity: line.deliveredQuantity,
  }));
}

/** Applies the fields a CRM add, edit or import gives to the order. */
function withOrderFields(
  context: OrderContext,
  data: JsonObject,
): OrderContext {
  const next = { ...context, extra: { ...context.extra } };
  for (const [name, value] of Object.entries(data)) {
    if (!KNOWN_ORDER_FIELDS.has(name)) next.extra[name] = value;
  }

  const customer = text(data, 'customer');
  if (customer !== undefined) next.customer = customer;
  const currency = text(data, 'currency');
  if (currency !== undefined) next.currency = currency;
  const deliveryDeadline = text(data, 'deliveryDeadline');
  if (deliveryDeadline !== undefined) next.deliveryDeadline = deliveryDeadline;
  const paymentDeadline = text(data, 'paymentDeadline');
  if (paymentDeadline !== undefined) next.paymentDeadline = paymentDeadline;

  const lines = data.lines;
  if (Array.isArray(lines)) {
    const delivered = new Map(
      context.lines.map((line) => [line.line, line.deliveredQuantity]),
    );
    next.lines = lines.map((raw) => {
      const line = raw as JsonObject;
      const id = String(line.line);

      return {
        line: id,
        product: text(line, 'product') ?? null,
        quantity: String(line.quantity),
        unitPrice: String(line.unitPrice),
        deliveredQuantity: delivered.get(id) ?? '0',
      };
    });
    // §2: only an edit that changes the lines drops the given total.
    if (!sameLines(context.lines, next.lines)) next.total = null;
  }

  const total = text(data, 'total');
  if (total !== undefined) next.total = total;

  return next;
}

/** Whether two sets of order lines ask for the same goods at the same prices. */
function sameLines(a: readonly OrderLine[], b: readonly OrderLine[]) {
  return (
    a.length === b.length &&
    a.every((line, index) => {
      const other = b[index]!;

      return (
        line.line === other.line &&
        line.product === other.product &&
        compareDecimals(line.quantity, other.quantity) === 0 &&
        compareDecimals(line.unitPrice, other.unitPrice) === 0
      );
    })
  );
}

/** The index of the first fulfilment line the order does not have, or -1. */
function unknownLineIndex(context: OrderContext, data: JsonObject): number {
  const lines = Array.isArray(data.lines) ? data.lines : [];
  const known = new Set(context.lines.map((line) => line.line));

  return lines.findIndex((raw) => !known.has(String((raw as JsonObject).line)));
}

function withFulfilment(context: OrderContext, data: JsonObject) {
  const next = { ...context };
  const lines = Array.isArray(data.lines) ? data.lines : [];
  if (lines.length > 0) {
    const delivered = new Map(
      lines.map((raw) => {
        const line = raw as JsonObject;

        return [String(line.line), String(line.deliveredQuantity)];
      }),
    );
    next.lines = context.lines.map((line) => ({
      ...line,
      deliveredQuantity: delivered.get(line.line) ?? line.deliveredQuantity,
    }));
  }
  // Derived on every SO-A2 (§2): an edit may have changed what was ordered.
  next.delivery = deriveDelivery(next.lines);

  return withReceipts(next, data);
}

function withReceipts(context: OrderContext, data: JsonObject) {
  const next = { ...context };
  const invoiced = text(data, 'invoicedAmount');
  if (invoiced !== undefined) next.invoicedAmount = invoiced;
  const received = text(data, 'receivedAmount');
  if (received !== undefined) next.receivedAmount = received;
  next.remainingAmount = text(data, 'remainingAmount') ?? null;
  if (Array.isArray(data.receipts)) next.receipts = data.receipts;
  next.payment = derivePayment(next);

  return next;
}

/** Whether ACT has done work an order withdrawal must not undo (§4). */
export function actWorkOnOrder(
  context: OrderContext,
  hasIssuedInvoice: boolean,
): string | null {
  const delivered = sumDecimals(
    context.lines.map((line) => line.deliveredQuantity),
  );
  if (!isZero(delivered)) return `ACT has delivered ${delivered}`;
  if (!isZero(context.receivedAmount)) {
    return `ACT has received ${context.receivedAmount}`;
  }
  if (context.invoiced || !isZero(context.invoicedAmount)) {
    return 'ACT has invoiced the order';
  }
  if (hasIssuedInvoice) return 'ACT has issued an invoice of the order';

  return null;
}

function recordingRows(context: OrderContext) {
  return context.revenueRows.filter((row) => row.kind === 'recording');
}

/** Rows an unrecord names by posting date and amount; all if it names none. */
function rowsToUnrecord(context: OrderContext, data: JsonObject) {
  const postingDate = text(data, 'postingDate');
  const amount = text(data, 'amount');

  return recordingRows(context).filter(
    (row) =>
      (postingDate === undefined || row.postingDate === postingDate) &&
      (amount === undefined || compareDecimals(row.amount, amount) === 0),
  );
}

function withoutRows(context: OrderContext, rows: readonly RevenueRow[]) {
  const revenueRows = context.revenueRows.filter((row) => !rows.includes(row));
  const last = revenueRows.filter((row) => row.kind === 'recording').at(-1);

  return { revenueRows, postingDate: last?.postingDate ?? null };
}

/** CT-A1 passes on five fields; each other one gets a notice. */
function ignoredFields(data: JsonObject): Notice[] {
  const passed = new Set<string>(CONTRACT_EDIT_FIELDS);

  return Object.keys(data)
    .filter((field) => !passed.has(field))
    .map((field) => ({
      code: 'ignoredField',
      message:
        `CT-A1 passes on only status, deadlines, invoiced and payment ` +
        `date; data.${field} is not synced to CRM.`,
      field: `data.${field}`,
    }));
}

const statusCodes: OrderStatusCode[] = [
  'notStarted',
  'inProgress',
  'fullyDelivered',
  'completed',
  'cancelled',
];
const deliveryCodes: DeliveryCode[] = [
  'notDelivered',
  'partiallyDelivered',
  'delivered',
];
const paymentCodes: PaymentCode[] = ['unpaid', 'partiallyPaid', 'paid'];

/**
 * Builds the order statechart for one ACT target: revenue recording driven by
 * both apps, and order status, delivery and payment following the figures ACT
 * reports.
 *
 * @example
 * const machine = createOrderMachine('salesOrder');
 * const [snapshot] = initialTransition(machine);
 */
export function createOrderMachine(target: OrderTarget) {
  const rules = TARGET_RULES[target];
  const isContract = target === 'contract';

  const m = setup({
    types: {
      context: {} as OrderContext,
      events: {} as OrderEvent,
      emitted: {} as SyncEmitted,
    },
    actions: {
      takeFields: assign(({ context, event }) =>
        withOrderFields(context, event.data),
      ),
      takeFulfilment: assign(({ context, event }) =>
        withFulfilment(context, event.data),
      ),
      takeReceipts: assign(({ context, event }) =>
        withReceipts(context, event.data),
      ),
      upsert: emit(
        ({ context, event }, params: { rule: string; always: boolean }) => ({
          type: 'sync.command' as const,
          command: command(
            'act',
            rules.upsert,
            params.rule,
            event.key,
            actOrderData(context, 'proposed'),
          ),
          always: params.always,
        }),
      ),
      updateCrm: emit(
        (
          { context, event },
          params: { rule: string; fields: readonly string[]; rev?: string },
        ) => {
          const rev = (params.rev ?? 'draft') as RevenueCode;
          const data: JsonObject = {};
          for (const field of params.fields) {
            data[field] = crmOrderField(context, rev, field);
          }

          return {
            type: 'sync.command' as const,
            command: command(
              'crm',
              'order.update',
              params.rule,
              event.key,
              data,
            ),
          };
        },
      ),
    },
    guards: {
      addsProposed: ({ event }) => event.data.revenueStatus === 'proposed',
      editKeepsStatus: ({ event }, params: { current: RevenueCode }) =>
        event.data.revenueStatus === undefined ||
        event.data.revenueStatus === params.current,
      editProposes: ({ event }) => event.data.revenueStatus === 'proposed',
      noActWork: ({ context, event }) =>
        actWorkOnOrder(context, event.facts?.orderHasIssuedInvoice ?? false) ===
        null,
      crmRecordedOnly: ({ context }) =>
        recordingRows(context).length > 0 &&
        recordingRows(context).every((row) => row.source === 'crm'),
      namesRecordedRows: ({ context, event }) =>
        rowsToUnrecord(context, event.data).length > 0,
      cancellationFits: ({ context, event }) => {
        const amount = text(event.data, 'amount') ?? '0';
        const room = subDecimals(
          netRevenue(context.revenueRows),
          event.facts?.pendingCancellationTotal ?? '0',
        );

        return !isZero(amount) && compareDecimals(amount, room) <= 0;
      },
      linesKnown: ({ context, event }) =>
        unknownLineIndex(context, event.data) === -1,
      statusIs: ({ context }, params: { code: OrderStatusCode }) =>
        context.status === params.code,
      deliveryIs: ({ context }, params: { code: DeliveryCode }) =>
        context.delivery === params.code,
      paymentIs: ({ context }, params: { code: PaymentCode }) =>
        context.payment === params.code,
    },
  });

  /** `emit` typed for this machine, for config built outside `setup`. */
  const say = (
    build: (args: { context: OrderContext; event: OrderEvent }) => SyncEmitted,
  ): never => emit(build as never) as never;

  /** Emits the notices computed from the context after assign. */
  const notices = (
    compute: (context: OrderContext, event: OrderEvent) => Notice[],
  ) =>
    say(({ context, event }) => ({
      type: 'sync.notice' as const,
      notices: compute(context, event),
    }));

  /** A CRM edit (SO-C1/CT-C1) from one revenue state; §4 "edits". */
  const edit = (current: RevenueCode, canPropose: boolean): never =>
    [
      {
        guard: { type: 'editKeepsStatus' as const, params: { current } },
        actions: [
          'takeFields' as const,
          applied(rules.add),
          ...(current === 'proposed'
            ? [
                {
                  type: 'upsert' as const,
                  params: { rule: rules.add, always: false },
                },
              ]
            : []),
        ],
      },
      ...(canPropose
        ? [
            {
              guard: 'editProposes' as const,
              target: 'proposed',
              actions: [
                'takeFields' as const,
                applied(rules.add, rules.propose),
                {
                  type: 'upsert' as const,
                  params: { rule: rules.propose, always: true },
                },
              ],
            },
          ]
        : []),
      {
        actions: conflict(
          rules.add,
          'statusChangeNotAllowed',
          (event) =>
            `An edit may not change the revenue status from ${current} to ` +
            `${String(event.data.revenueStatus)}; only a propose from ` +
            `draft or rejected.`,
          'data.revenueStatus',
        ),
      },
    ] as never;

  /** ACT records the revenue (SO-A1 / CT-A3): ACT's row replaces CRM's. */
  const actRecords = {
    target: 'recorded',
    actions: [
      assign(
        ({ context, event }: { context: OrderContext; event: OrderEvent }) => {
          const postingDate = text(event.data, 'postingDate')!;
          const row: RevenueRow = {
            source: 'act',
            kind: 'recording',
            postingDate,
            amount: text(event.data, 'amount')!,
          };
          const kept = context.revenueRows.filter(
            (existing) => existing.kind !== 'recording',
          );

          return { revenueRows: [...kept, row], postingDate };
        },
      ),
      applied(rules.actRecord),
      {
        type: 'updateCrm' as const,
        params: {
          rule: rules.actRecord,
          fields: ['revenueStatus', 'revenueRows', 'postingDate'],
          rev: 'recorded',
        },
      },
    ],
  } as never;

  const revenueUpdate = (rev: RevenueCode): never =>
    ({
      type: 'updateCrm' as const,
      params: {
        rule: rules.actRecord,
        fields: ['revenueStatus', 'revenueRows', 'postingDate'],
        rev,
      },
    }) as never;

  const dropRecordings = assign(({ context }: { context: OrderContext }) =>
    withoutRows(context, recordingRows(context)),
  ) as never;

  /** The CRM reject (SO-C5 / CT-C5): recording rows go, CT tells ACT. */
  const crmRejects = {
    target: 'rejected',
    actions: [
      dropRecordings,
      applied(rules.record),
      ...(isContract
        ? [
            say(({ event }: { event: OrderEvent }) => ({
              type: 'sync.command' as const,
              command: command(
                'act',
                'contract.setRevenueStatus',
                rules.record,
                event.key,
                {
                  revenueStatus: 'rejected',
                  reason: text(event.data, 'reason'),
                },
              ),
            })),
          ]
        : []),
    ],
  } as never;

  const follow = <C extends string>(
    guard: 'statusIs' | 'deliveryIs' | 'paymentIs',
    codes: readonly C[],
    rule: string,
  ): never =>
    Object.fromEntries(
      codes.map((code) => [
        code,
        {
          always: codes
            .filter((other) => other !== code)
            .map((other) => ({
              guard: { type: guard, params: { code: other } },
              target: other,
              meta: { rules: [rule] },
            })),
        },
      ]),
    ) as never;

  return m.createMachine({
    id: target,
    context: emptyOrderContext,
    initial: 'absent',
    states: {
      absent: {
        on: {
          'order.created': [
            {
              guard: 'addsProposed',
              target: 'active.revenue.proposed',
              actions: [
                'takeFields',
                applied(rules.add),
                { type: 'upsert', params: { rule: rules.add, always: false } },
              ],
            },
            { target: 'active', actions: ['takeFields', applied(rules.add)] },
          ],
          'order.imported': [
            {
              guard: 'addsProposed',
              target: 'active.revenue.proposed',
              actions: ['takeFields', applied(rules.imp)],
            },
            { target: 'active', actions: ['takeFields', applied(rules.imp)] },
          ],
        },
      },
      active: {
        type: 'parallel',
        on: {
          'order.deleted': {
            actions: [assign({ deleted: true }), applied(rules.del)],
          },
          ...(isContract
            ? {
                'contract.statusUpdated': {
                  actions: [
                    assign({
                      status: ({ event }) =>
                        text(event.data, 'status') as OrderStatusCode,
                    }),
                    applied('CT-A2'),
                    {
                      type: 'updateCrm',
                      params: { rule: 'CT-A2', fields: ['status'] },
                    },
                  ],
                },
                'contract.edited': {
                  actions: [
                    assign(({ context, event }) => {
                      const data = event.data;
                      const status = text(data, 'status') as
                        OrderStatusCode | undefined;

                      return {
                        status: status ?? context.status,
                        deliveryDeadline:
                          text(data, 'deliveryDeadline') ??
                          context.deliveryDeadline,
                        paymentDeadline:
                          text(data, 'paymentDeadline') ??
                          context.paymentDeadline,
                        invoiced: flag(data, 'invoiced') ?? context.invoiced,
                        paymentDate:
                          text(data, 'paymentDate') ?? context.paymentDate,
                      };
                    }),
                    applied('CT-A1'),
                    say(({ context, event }) => {
                      const data: JsonObject = {};
                      for (const field of CONTRACT_EDIT_FIELDS) {
                        if (field in event.data) data[field] = context[field];
                      }

                      return {
                        type: 'sync.command' as const,
                        command: command(
                          'crm',
                          'order.update',
                          'CT-A1',
                          event.key,
                          data,
                        ),
                      };
                    }),
                    notices((_, event) => ignoredFields(event.data)),
                  ],
                },
                'contract.invoicingUpdated': {
                  actions: [
                    assign(({ context, event }) => ({
                      invoiced:
                        flag(event.data, 'invoiced') ?? context.invoiced,
                      invoiceDate:
                        text(event.data, 'invoiceDate') ?? context.invoiceDate,
                      invoicedAmount:
                        text(event.data, 'invoicedAmount') ??
                        context.invoicedAmount,
                    })),
                    applied('CT-A5'),
                    {
                      type: 'updateCrm',
                      params: {
                        rule: 'CT-A5',
                        fields: ['invoiced', 'invoiceDate', 'invoicedAmount'],
                      },
                    },
                  ],
                },
                'contract.paymentDeadlineUpdated': {
                  actions: [
                    assign({
                      paymentDeadline: ({ event }) =>
                        text(event.data, 'paymentDeadline')!,
                    }),
                    applied('CT-A6'),
                    {
                      type: 'updateCrm',
                      params: { rule: 'CT-A6', fields: ['paymentDeadline'] },
                    },
                  ],
                },
                'contract.receiptsUpdated': {
                  actions: [
                    'takeReceipts',
                    applied('CT-A7'),
                    {
                      type: 'updateCrm',
                      params: {
                        rule: 'CT-A7',
                        fields: [
                          'receivedAmount',
                          'remainingAmount',
                          'receipts',
                          'paymentStatus',
                        ],
                      },
                    },
                    notices(paymentNotices),
                  ],
                },
                'contract.cancellationApproved': {
                  actions: [
                    assign(({ context, event }) => {
                      const found = event.facts?.cancellation;
                      const row: RevenueRow = {
                        source: 'act',
                        kind: 'cancellation',
                        postingDate: found?.date ?? dateOf(event.at),
                        amount: subDecimals('0', found?.amount ?? '0'),
                        proposal: text(event.data, 'proposal')!,
                      };

                      return { revenueRows: [...context.revenueRows, row] };
                    }),
                    applied('CT-A8'),
                    say(({ context, event }) => ({
                      type: 'sync.command' as const,
                      command: command(
                        'crm',
                        'cancellation.update',
                        'CT-A8',
                        text(event.data, 'proposal')!,
                        {
                          order: event.key,
                          status: 'approved',
                          row: context.revenueRows.at(-1) as unknown as Json,
                        },
                      ),
                    })),
                  ],
                },
                'contract.cancellationRejected': {
                  actions: [
                    applied('CT-A8'),
                    say(({ event }) => ({
                      type: 'sync.command' as const,
                      command: command(
                        'crm',
                        'cancellation.update',
                        'CT-A8',
                        text(event.data, 'proposal')!,
                        {
                          order: event.key,
                          status: 'rejected',
                          reason: text(event.data, 'reason'),
                        },
                      ),
                    })),
                  ],
                },
              }
            : {
                'salesOrder.statusUpdated': {
                  actions: [
                    assign({
                      status: ({ event }) =>
                        text(event.data, 'status') as OrderStatusCode,
                    }),
                    applied('SO-A3'),
                    {
                      type: 'updateCrm',
                      params: { rule: 'SO-A3', fields: ['status'] },
                    },
                  ],
                },
                'salesOrder.fulfilmentUpdated': [
                  {
                    guard: 'linesKnown',
                    actions: [
                      'takeFulfilment',
                      applied('SO-A2'),
                      {
                        type: 'updateCrm',
                        params: {
                          rule: 'SO-A2',
                          fields: [
                            'lines',
                            'invoicedAmount',
                            'receivedAmount',
                            'remainingAmount',
                            'receipts',
                            'deliveryStatus',
                            'paymentStatus',
                          ],
                        },
                      },
                      notices((context, event) => [
                        ...deliveryNotices(
                          context.lines,
                          (Array.isArray(event.data.lines)
                            ? event.data.lines
                            : []
                          ).map((raw) => String((raw as JsonObject).line)),
                        ),
                        ...paymentNotices(context),
                      ]),
                    ],
                  },
                  {
                    actions: say(({ context, event }) => {
                      const index = unknownLineIndex(context, event.data);
                      const lines = event.data.lines as JsonObject[];

                      return {
                        type: 'sync.conflict' as const,
                        rules: ['SO-A2'],
                        error: {
                          code: 'unknownLine',
                          message: `The order has no line ${String(lines[index]?.line)}.`,
                          field: `data.lines[${index}].line`,
                        },
                      };
                    }),
                  },
                ],
              }),
        },
        states: {
          revenue: {
            initial: 'draft',
            states: {
              draft: {
                on: {
                  'order.updated': edit('draft', true),
                  'order.proposed': {
                    target: 'proposed',
                    actions: [
                      applied(rules.propose),
                      {
                        type: 'upsert',
                        params: { rule: rules.propose, always: true },
                      },
                    ],
                  },
                },
              },
              proposed: {
                on: {
                  'order.updated': edit('proposed', false),
                  'order.recorded': {
                    target: 'recorded',
                    actions: [
                      assign(({ context, event }) => {
                        const postingDate = dateOf(event.at);
                        const row: RevenueRow = {
                          source: 'crm',
                          kind: 'recording',
                          postingDate,
                          amount: orderTotal(context),
                        };

                        return {
                          revenueRows: [...context.revenueRows, row],
                          postingDate,
                        };
                      }),
                      applied(rules.record),
                      ...(isContract
                        ? []
                        : [
                            say(({ context, event }) => ({
                              type: 'sync.command' as const,
                              command: command(
                                'act',
                                'salesOrder.markRecorded',
                                rules.record,
                                event.key,
                                {
                                  revenueStatus: 'recorded',
                                  postingDate: context.postingDate,
                                  amount: orderTotal(context),
                                },
                              ),
                            })),
                          ]),
                    ],
                  },
                  'order.rejected': crmRejects,
                  'order.withdrawn': [
                    {
                      guard: 'noActWork',
                      target: 'draft',
                      actions: [
                        applied(rules.withdraw),
                        ...(isContract
                          ? [
                              say(({ event }) => ({
                                type: 'sync.command' as const,
                                command: command(
                                  'act',
                                  'contract.delete',
                                  rules.withdraw,
                                  event.key,
                                  {},
                                ),
                              })),
                            ]
                          : []),
                      ],
                    },
                    {
                      actions: say(({ context, event }) => {
                        const work = actWorkOnOrder(
                          context,
                          event.facts?.orderHasIssuedInvoice ?? false,
                        );

                        return {
                          type: 'sync.conflict' as const,
                          rules: [rules.withdraw],
                          error: {
                            code: 'actWorkExists',
                            message: `The proposal cannot be withdrawn: ${work}.`,
                          },
                        };
                      }),
                    },
                  ],
                  [`${target}.revenueRecorded`]: actRecords,
                  ...(isContract
                    ? {
                        'contract.revenueRejected': {
                          target: 'rejected',
                          actions: [
                            dropRecordings,
                            applied('CT-A3'),
                            revenueUpdate('rejected'),
                          ],
                        },
                      }
                    : {}),
                },
              },
              recorded: {
                on: {
                  'order.updated': edit('recorded', false),
                  'order.rejected': crmRejects,
                  'order.cancellationProposed': [
                    {
                      guard: 'cancellationFits',
                      actions: [
                        applied(rules.cancel),
                        ...(isContract
                          ? [
                              say(({ event }) => ({
                                type: 'sync.command' as const,
                                command: command(
                                  'act',
                                  'contract.proposeCancellation',
                                  rules.cancel,
                                  event.key,
                                  {
                                    proposal: text(event.data, 'proposal'),
                                    amount: text(event.data, 'amount'),
                                    date: text(event.data, 'date'),
                                    reason: text(event.data, 'reason'),
                                  },
                                ),
                              })),
                            ]
                          : []),
                      ],
                    },
                    {
                      actions: say(({ context, event }) => ({
                        type: 'sync.conflict' as const,
                        rules: [rules.cancel],
                        error: {
                          code: 'cancellationExceedsRevenue',
                          message:
                            `A cancellation of ${text(event.data, 'amount')} must be ` +
                            `above 0 and at most the net revenue ` +
                            `${netRevenue(context.revenueRows)} less the ` +
                            `${event.facts?.pendingCancellationTotal ?? '0'} still ` +
                            `proposed.`,
                          field: 'data.amount',
                        },
                      })),
                    },
                  ],
                  [`${target}.revenueRecorded`]: [
                    { guard: 'crmRecordedOnly', ...(actRecords as object) },
                    {
                      actions: conflict(
                        rules.actRecord,
                        'alreadyRecorded',
                        () => 'ACT has already recorded this revenue.',
                      ),
                    },
                  ],
                  [`${target}.revenueUnrecorded`]: [
                    {
                      guard: 'namesRecordedRows',
                      target: 'proposed',
                      actions: [
                        assign(
                          ({
                            context,
                            event,
                          }: {
                            context: OrderContext;
                            event: OrderEvent;
                          }) =>
                            withoutRows(
                              context,
                              rowsToUnrecord(context, event.data),
                            ),
                        ) as never,
                        applied(rules.actRecord),
                        revenueUpdate('proposed'),
                      ],
                    },
                    {
                      actions: conflict(
                        rules.actRecord,
                        'revenueRowNotFound',
                        (event) =>
                          `No recording row matches posting date ` +
                          `${text(event.data, 'postingDate') ?? 'any'} and amount ` +
                          `${text(event.data, 'amount') ?? 'any'}.`,
                      ),
                    },
                  ],
                  ...(isContract
                    ? {
                        'contract.revenueRejected': {
                          target: 'rejected',
                          actions: [
                            dropRecordings,
                            applied('CT-A3'),
                            revenueUpdate('rejected'),
                          ],
                        },
                        'contract.revenueDateMoved': {
                          actions: [
                            assign(({ context, event }) => {
                              const postingDate = text(
                                event.data,
                                'postingDate',
                              )!;
                              const current = recordingRows(context).at(-1);
                              const revenueRows = context.revenueRows.map(
                                (row) =>
                                  row === current
                                    ? { ...row, postingDate }
                                    : row,
                              );

                              return { revenueRows, postingDate };
                            }),
                            applied('CT-A4'),
                            {
                              type: 'updateCrm',
                              params: {
                                rule: 'CT-A4',
                                fields: ['postingDate', 'revenueRows'],
                                rev: 'recorded',
                              },
                            },
                          ],
                        },
                      }
                    : {}),
                },
              },
              rejected: {
                on: {
                  'order.updated': edit('rejected', true),
                  'order.proposed': {
                    target: 'proposed',
                    actions: [
                      applied(rules.propose),
                      {
                        type: 'upsert',
                        params: { rule: rules.propose, always: true },
                      },
                    ],
                  },
                },
              },
            },
          },
          status: {
            initial: 'notStarted',
            states: follow('statusIs', statusCodes, rules.actStatus),
          },
          ...(isContract
            ? {}
            : {
                delivery: {
                  initial: 'notDelivered',
                  states: follow('deliveryIs', deliveryCodes, 'SO-A2'),
                },
              }),
          payment: {
            initial: 'unpaid',
            states: follow(
              'paymentIs',
              paymentCodes,
              isContract ? 'CT-A7' : 'SO-A2',
            ),
          },
        },
      },
    },
  });
}

/** The order statechart when ACT keeps orders as Sales Orders. */
export const salesOrderMachine = createOrderMachine('salesOrder');

/** The order statechart when ACT keeps orders as Contracts. */
export const contractMachine = createOrderMachine('contract');

/** Either order machine. */
export type OrderMachine = typeof salesOrderMachine;
