import { assign, emit, setup } from 'xstate';
import type { InvoiceCode } from '../src/rules/labels.js';
import type { JsonObject } from '../src/types.js';
import {
  appendLine,
  applied,
  command,
  compact,
  text,
  type MachineEvent,
  type SyncEmitted,
} from './sync.js';

/** What an invoice request machine remembers. */
export interface InvoiceContext {
  order: string | null;
  amount: string | null;
  description: string | null;
  number: string | null;
  date: string | null;
  deleted: boolean;
  /** Other CRM fields, carried along to ACT unchanged. */
  extra: JsonObject;
}

/** Every event type the invoice machine handles. */
export type InvoiceEventType =
  | 'invoice.created'
  | 'invoice.imported'
  | 'invoice.updated'
  | 'invoice.deleted'
  | 'invoice.proposed'
  | 'invoice.withdrawn'
  | 'invoice.approved'
  | 'invoice.rejected'
  | 'invoice.issued'
  | 'invoice.issuanceRejected'
  | 'invoice.cancelled';

type InvoiceEvent = MachineEvent<InvoiceEventType>;

const KNOWN_FIELDS = new Set(['order', 'status', 'amount', 'description']);

/** A request nobody has written yet. */
export function emptyInvoiceContext(): InvoiceContext {
  return {
    order: null,
    amount: null,
    description: null,
    number: null,
    date: null,
    deleted: false,
    extra: {},
  };
}

function withFields(context: InvoiceContext, data: JsonObject) {
  const next = { ...context, extra: { ...context.extra } };
  for (const [name, value] of Object.entries(data)) {
    if (!KNOWN_FIELDS.has(name)) next.extra[name] = value;
  }
  next.order = text(data, 'order') ?? context.order;
  next.amount = text(data, 'amount') ?? context.amount;
  next.description = text(data, 'description') ?? context.description;

  return next;
}

/** The issuance request as ACT receives it. */
export function actInvoiceData(context: InvoiceContext): JsonObject {
  return compact({
    ...context.extra,
    order: context.order ?? undefined,
    amount: context.amount ?? undefined,
    description: context.description ?? undefined,
  });
}

/** The fields of a CRM invoice that ACT writes, as CRM should show them. */
export function crmInvoiceView(
  context: InvoiceContext,
  status: InvoiceCode,
): JsonObject {
  return {
    status,
    description: context.description,
    number: context.number,
    date: context.date,
  };
}

const setup_ = setup({
  types: {
    context: {} as InvoiceContext,
    events: {} as InvoiceEvent,
    emitted: {} as SyncEmitted,
  },
  actions: {
    takeFields: assign(({ context, event }) => withFields(context, event.data)),
    appendReason: assign(({ context, event }) => {
      const reason = text(event.data, 'reason');
      if (!reason) return {};

      return { description: appendLine(context.description, reason) };
    }),
    upsert: emit(
      ({ context, event }, params: { rule: string; always: boolean }) => ({
        type: 'sync.command' as const,
        command: command(
          'act',
          'invoiceRequest.upsert',
          params.rule,
          event.key,
          actInvoiceData(context),
        ),
        always: params.always,
      }),
    ),
    updateCrm: emit(
      (
        { context, event },
        params: { rule: string; status: InvoiceCode; fields: string[] },
      ) => {
        const view = crmInvoiceView(context, params.status);
        const data: JsonObject = {};
        for (const field of params.fields) data[field] = view[field] ?? null;

        return {
          type: 'sync.command' as const,
          command: command(
            'crm',
            'invoice.update',
            params.rule,
            event.key,
            data,
          ),
        };
      },
    ),
  },
  guards: {
    addsProposed: ({ event }) => event.data.status === 'proposed',
    editKeepsStatus: ({ event }, params: { current: InvoiceCode }) =>
      event.data.status === undefined || event.data.status === params.current,
    editProposes: ({ event }) => event.data.status === 'proposed',
  },
});

/** A CRM edit (INV-C1) from one state; §4 "edits that carry a status". */
function edit(current: InvoiceCode, canPropose: boolean): never {
  // Built outside `setup`, so typed `never` to fit the machine's config.
  return [
    {
      guard: { type: 'editKeepsStatus' as const, params: { current } },
      actions: [
        'takeFields' as const,
        applied('INV-C1'),
        ...(current === 'proposed'
          ? [
              {
                type: 'upsert' as const,
                params: { rule: 'INV-C1', always: false },
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
              applied('INV-C1', 'INV-C3'),
              {
                type: 'upsert' as const,
                params: { rule: 'INV-C3', always: true },
              },
            ],
          },
        ]
      : []),
    {
      actions: emit(({ event }: { event: InvoiceEvent }) => ({
        type: 'sync.conflict' as const,
        rules: ['INV-C1'],
        error: {
          code: 'statusChangeNotAllowed',
          message:
            `An edit may not change the invoice status from ${current} to ` +
            `${String(event.data.status)}; only a propose from draft, ` +
            `rejected or issuanceRejected.`,
          field: 'data.status',
        },
      })),
    },
  ] as never;
}

const deleted = {
  'invoice.deleted': {
    actions: [assign({ deleted: true }), applied('INV-C2')],
  },
} as const;

const propose = {
  'invoice.proposed': {
    target: 'proposed',
    actions: [
      applied('INV-C3'),
      { type: 'upsert' as const, params: { rule: 'INV-C3', always: true } },
    ],
  },
} as const;

const update = (rule: string, status: InvoiceCode, fields: string[]) => ({
  type: 'updateCrm' as const,
  params: { rule, status, fields },
});

const issue = {
  target: 'issued',
  actions: [
    assign(({ event }: { event: InvoiceEvent }) => ({
      number: text(event.data, 'number')!,
      date: text(event.data, 'date')!,
    })),
    applied('INV-A3'),
    update('INV-A3', 'issued', ['status', 'number', 'date']),
  ],
} as never;

const refuse = {
  target: 'issuanceRejected',
  actions: [
    applied('INV-A4'),
    update('INV-A4', 'issuanceRejected', ['status']),
  ],
} as never;

/**
 * The invoice-issuance request (Hóa đơn / đề nghị xuất hóa đơn): proposed on
 * CRM, approved, issued, refused or cancelled on ACT.
 *
 * @example
 * const [snapshot] = initialTransition(invoiceMachine);
 */
export const invoiceMachine = setup_.createMachine({
  id: 'invoice',
  context: emptyInvoiceContext,
  initial: 'absent',
  states: {
    absent: {
      on: {
        'invoice.created': [
          {
            guard: 'addsProposed',
            target: 'proposed',
            actions: [
              'takeFields',
              applied('INV-C1'),
              { type: 'upsert', params: { rule: 'INV-C1', always: false } },
            ],
          },
          { target: 'draft', actions: ['takeFields', applied('INV-C1')] },
        ],
        'invoice.imported': [
          {
            guard: 'addsProposed',
            target: 'proposed',
            actions: ['takeFields', applied('INV-C2')],
          },
          { target: 'draft', actions: ['takeFields', applied('INV-C2')] },
        ],
      },
    },
    draft: {
      on: {
        ...deleted,
        ...propose,
        'invoice.updated': edit('draft', true),
      } as never,
    },
    proposed: {
      on: {
        ...deleted,
        'invoice.updated': edit('proposed', false),
        'invoice.withdrawn': {
          target: 'draft',
          actions: [
            applied('INV-C4'),
            emit(
              ({
                context,
                event,
              }: {
                context: InvoiceContext;
                event: InvoiceEvent;
              }) => ({
                type: 'sync.command' as const,
                command: command(
                  'act',
                  'invoiceRequest.delete',
                  'INV-C4',
                  event.key,
                  { order: context.order ?? undefined },
                ),
              }),
            ),
          ],
        },
        'invoice.approved': {
          target: 'approved',
          actions: [
            applied('INV-A1'),
            update('INV-A1', 'approved', ['status']),
          ],
        },
        'invoice.rejected': {
          target: 'rejected',
          actions: [
            'appendReason',
            applied('INV-A2'),
            update('INV-A2', 'rejected', ['status', 'description']),
          ],
        },
        'invoice.issued': issue,
        'invoice.issuanceRejected': refuse,
      } as never,
    },
    approved: {
      on: {
        ...deleted,
        'invoice.updated': edit('approved', false),
        'invoice.issued': issue,
        'invoice.issuanceRejected': refuse,
      } as never,
    },
    rejected: {
      on: {
        ...deleted,
        ...propose,
        'invoice.updated': edit('rejected', true),
      } as never,
    },
    issued: {
      on: {
        ...deleted,
        'invoice.updated': edit('issued', false),
        'invoice.cancelled': {
          target: 'cancelled',
          actions: [
            'appendReason',
            applied('INV-A5'),
            update('INV-A5', 'cancelled', ['status', 'description']),
          ],
        },
      } as never,
    },
    issuanceRejected: {
      on: {
        ...deleted,
        ...propose,
        'invoice.updated': edit('issuanceRejected', true),
      } as never,
    },
    cancelled: {
      on: { ...deleted, 'invoice.updated': edit('cancelled', false) } as never,
    },
  },
});
