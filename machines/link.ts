import { assign, emit, setup } from 'xstate';
import type { JsonObject } from '../src/types.js';
import {
  applied,
  command,
  flag,
  text,
  type MachineEvent,
  type SyncEmitted,
} from './sync.js';

/** What a customer, contact, product or quote link remembers. */
export interface LinkContext {
  /** How CRM keeps a customer-side record: `customer` or `contact`. */
  kind: 'customer' | 'contact' | 'product' | 'quote';
  /** The fields last given by either app (name, unit, price…). */
  fields: JsonObject;
  /** The CRM owner (chủ sở hữu), set when ACT created the record on CRM. */
  owner: string | null;
  deleted: boolean;
  mergedInto: string | null;
}

type Verb = 'created' | 'imported' | 'updated' | 'deleted' | 'merged';

type LinkEvent = MachineEvent<string>;

function emptyLinkContext(kind: LinkContext['kind']) {
  return (): LinkContext => ({
    kind,
    fields: {},
    owner: null,
    deleted: false,
    mergedInto: null,
  });
}

const remember = assign(
  ({ context, event }: { context: LinkContext; event: LinkEvent }) => {
    const verb = event.type.split('.')[1];
    const next: Partial<LinkContext> = {
      fields: { ...context.fields, ...withoutSalesEmployee(event.data) },
    };
    if (verb === 'deleted') next.deleted = true;
    if (verb === 'merged') next.mergedInto = text(event.data, 'into') ?? null;

    return next;
  },
) as never;

function withoutSalesEmployee(data: JsonObject): JsonObject {
  const { salesEmployee: _owner, ...rest } = data;

  return rest;
}

const guards = {
  fromCrm: ({ event }: { event: LinkEvent }) => event.source === 'crm',
  fromAct: ({ event }: { event: LinkEvent }) => event.source === 'act',
};

function duplicateCode(rule: string) {
  return emit(({ event }: { event: LinkEvent }) => ({
    type: 'sync.conflict' as const,
    rules: [rule],
    error: {
      code: 'duplicateCode',
      message:
        `CRM holds ${event.key} but it is not linked to ACT; ACT's ` +
        `record is not pushed. Link it with Fetch (Lấy về) on ACT or ` +
        `change one of the codes.`,
      field: 'key',
    },
  }));
}

// Customers and contacts (CUS-*).

const CUSTOMER_CRM_RULES: Record<Verb, string> = {
  created: 'CUS-C1',
  updated: 'CUS-C2',
  deleted: 'CUS-C3',
  merged: 'CUS-C4',
  imported: 'CUS-C5',
};

const CUSTOMER_ACT_RULES: Record<Verb, string> = {
  created: 'CUS-A1',
  updated: 'CUS-A2',
  deleted: 'CUS-A3',
  merged: 'CUS-A4',
  imported: 'CUS-A5',
};

const customerSetup = setup({
  types: {
    context: {} as LinkContext,
    events: {} as LinkEvent,
    emitted: {} as SyncEmitted,
  },
  actions: {
    remember,
    /** CUS-A1: create on CRM, a contact when personal, owned by the seller. */
    createOnCrm: emit(({ context, event }, params: { rule: string }) => ({
      type: 'sync.command' as const,
      command: command(
        'crm',
        `${context.kind}.create`,
        params.rule,
        event.key,
        {
          ...withoutSalesEmployee(event.data),
          owner: text(event.data, 'salesEmployee'),
        },
      ),
    })),
    /** CUS-A2: update CRM, never the owner. */
    updateCrm: emit(({ context, event }, params: { rule: string }) => ({
      type: 'sync.command' as const,
      command: command(
        'crm',
        `${context.kind}.update`,
        params.rule,
        event.key,
        withoutSalesEmployee(event.data),
      ),
    })),
    /** CUS-C2: update ACT when linked. */
    updateAct: emit(({ event }) => ({
      type: 'sync.command' as const,
      command: command(
        'act',
        'customer.update',
        'CUS-C2',
        event.key,
        event.data,
      ),
    })),
    // CRM says contact by its event type; ACT has only customers, with a
    // personal flag that makes the CRM copy a contact (CUS-A1).
    becomeContactIfPersonal: assign(({ context, event }) => ({
      kind:
        event.type.startsWith('contact.') ||
        (event.source === 'act' && flag(event.data, 'personal'))
          ? ('contact' as const)
          : context.kind,
    })),
  },
  guards,
});

/** Handlers for one CRM verb on customers and contacts. */
function crmCustomer(verb: Verb, target?: string, sync = false) {
  const rule = CUSTOMER_CRM_RULES[verb];
  const transition = {
    guard: 'fromCrm' as const,
    ...(target ? { target } : {}),
    actions: [
      'remember' as const,
      'becomeContactIfPersonal' as const,
      applied(rule),
      ...(sync ? ['updateAct' as const] : []),
    ],
  };

  return transition;
}

/** ACT add, import or edit creating the record on CRM (CUS-A1). */
function actCreates(verb: 'created' | 'imported' | 'updated') {
  const own = CUSTOMER_ACT_RULES[verb];
  const rules = own === 'CUS-A1' ? [own] : [own, 'CUS-A1'];

  return {
    guard: 'fromAct' as const,
    target: 'linked',
    actions: [
      'remember' as const,
      'becomeContactIfPersonal' as const,
      assign({
        owner: ({ event }: { event: LinkEvent }) =>
          text(event.data, 'salesEmployee') ?? null,
      }),
      applied(...rules),
      // The command names the rule whose effect it carries (as SO-C4 does).
      { type: 'createOnCrm' as const, params: { rule: 'CUS-A1' } },
    ],
  };
}

/** ACT add, import or edit of a linked record updating CRM (CUS-A2). */
function actUpdates(verb: 'created' | 'imported' | 'updated') {
  const own = CUSTOMER_ACT_RULES[verb];
  const rules = own === 'CUS-A2' ? [own] : [own, 'CUS-A2'];

  return {
    guard: 'fromAct' as const,
    actions: [
      'remember' as const,
      applied(...rules),
      { type: 'updateCrm' as const, params: { rule: 'CUS-A2' } },
    ],
  };
}

function actNone(verb: 'deleted' | 'merged', target?: string) {
  return {
    guard: 'fromAct' as const,
    ...(target ? { target } : {}),
    actions: ['remember' as const, applied(CUSTOMER_ACT_RULES[verb])],
  };
}

function actDuplicate(verb: 'created' | 'imported' | 'updated') {
  return {
    guard: 'fromAct' as const,
    actions: duplicateCode(CUSTOMER_ACT_RULES[verb]),
  };
}

/** Builds the `on` map of one customer state for both prefixes. */
function customerOn(
  handlers: Record<Verb, object[]>,
  fetched: object,
): Record<string, object | object[]> {
  const on: Record<string, object | object[]> = {
    'customer.fetched': fetched,
  };
  for (const prefix of ['customer', 'contact']) {
    for (const [verb, list] of Object.entries(handlers)) {
      on[`${prefix}.${verb}`] = list;
    }
  }

  return on;
}

const fetch = (target?: string) => ({
  ...(target ? { target } : {}),
  actions: [
    'remember' as const,
    'becomeContactIfPersonal' as const,
    applied('CUS-A6'),
  ],
});

/**
 * A customer or contact known by code to CRM, ACT or both (CUS-*). A code
 * never seen counts as `crmOnly` for CRM events and `actOnly` for ACT ones.
 *
 * @example
 * const [snapshot] = initialTransition(customerMachine);
 */
export const customerMachine = customerSetup.createMachine({
  id: 'customer',
  context: emptyLinkContext('customer'),
  initial: 'absent',
  states: {
    absent: {
      on: customerOn(
        {
          created: [crmCustomer('created', 'crmOnly'), actCreates('created')],
          imported: [
            crmCustomer('imported', 'crmOnly'),
            actCreates('imported'),
          ],
          updated: [crmCustomer('updated', 'crmOnly'), actCreates('updated')],
          deleted: [
            crmCustomer('deleted', 'crmOnly'),
            actNone('deleted', 'actOnly'),
          ],
          merged: [
            crmCustomer('merged', 'crmOnly'),
            actNone('merged', 'actOnly'),
          ],
        },
        fetch('linked'),
      ),
      entry: [],
    },
    crmOnly: {
      on: customerOn(
        {
          created: [crmCustomer('created'), actDuplicate('created')],
          imported: [crmCustomer('imported'), actDuplicate('imported')],
          updated: [crmCustomer('updated'), actDuplicate('updated')],
          deleted: [crmCustomer('deleted'), actNone('deleted')],
          merged: [crmCustomer('merged'), actNone('merged')],
        },
        fetch('linked'),
      ),
    },
    actOnly: {
      on: customerOn(
        {
          created: [crmCustomer('created'), actCreates('created')],
          imported: [crmCustomer('imported'), actCreates('imported')],
          updated: [crmCustomer('updated'), actCreates('updated')],
          deleted: [crmCustomer('deleted'), actNone('deleted')],
          merged: [crmCustomer('merged'), actNone('merged')],
        },
        fetch('linked'),
      ),
    },
    linked: {
      on: customerOn(
        {
          created: [crmCustomer('created'), actUpdates('created')],
          imported: [crmCustomer('imported'), actUpdates('imported')],
          updated: [
            crmCustomer('updated', undefined, true),
            actUpdates('updated'),
          ],
          deleted: [crmCustomer('deleted'), actNone('deleted')],
          merged: [crmCustomer('merged'), actNone('merged')],
        },
        fetch(),
      ),
    },
  },
});

// Products (PRD-*).

const productSetup = setup({
  types: {
    context: {} as LinkContext,
    events: {} as LinkEvent,
    emitted: {} as SyncEmitted,
  },
  actions: {
    remember,
    upsert: emit(({ event }) => {
      const rule = event.source === 'crm' ? 'PRD-C1' : 'PRD-A1';

      return {
        type: 'sync.command' as const,
        command: command(
          event.source === 'crm' ? 'act' : 'crm',
          'product.upsert',
          rule,
          event.key,
          event.data,
        ),
      };
    }),
  },
  guards,
});

const PRODUCT_WRITES = ['created', 'updated', 'imported'] as const;
const PRODUCT_REMOVES = ['deleted', 'merged'] as const;

function productOn(state: 'absent' | 'crmOnly' | 'actOnly' | 'linked') {
  const on: Record<string, object[]> = {};
  for (const verb of PRODUCT_WRITES) {
    on[`product.${verb}`] = [
      {
        guard: 'fromCrm',
        target: 'linked',
        actions: ['remember', applied('PRD-C1'), 'upsert'],
      },
      state === 'crmOnly'
        ? { guard: 'fromAct', actions: duplicateCode('PRD-A1') }
        : {
            guard: 'fromAct',
            target: 'linked',
            actions: ['remember', applied('PRD-A1'), 'upsert'],
          },
    ];
  }
  for (const verb of PRODUCT_REMOVES) {
    on[`product.${verb}`] = [
      {
        guard: 'fromCrm',
        ...(state === 'absent' ? { target: 'crmOnly' } : {}),
        actions: ['remember', applied('PRD-C2')],
      },
      {
        guard: 'fromAct',
        ...(state === 'absent' ? { target: 'actOnly' } : {}),
        actions: ['remember', applied('PRD-A2')],
      },
    ];
  }

  return on;
}

/**
 * A product (hàng hóa) known by code; an add, edit or import on either app
 * upserts it on the other (PRD-*).
 *
 * @example
 * const [snapshot] = initialTransition(productMachine);
 */
export const productMachine = productSetup.createMachine({
  id: 'product',
  context: emptyLinkContext('product'),
  initial: 'absent',
  states: {
    absent: { on: productOn('absent') },
    crmOnly: { on: productOn('crmOnly') },
    actOnly: { on: productOn('actOnly') },
    linked: { on: productOn('linked') },
  },
});

// Quotes (QUO-*).

const quoteSetup = setup({
  types: {
    context: {} as LinkContext,
    events: {} as LinkEvent,
    emitted: {} as SyncEmitted,
  },
  actions: {
    remember,
    upsert: emit(({ event }) => ({
      type: 'sync.command' as const,
      command: command('act', 'quote.upsert', 'QUO-C1', event.key, event.data),
    })),
  },
  guards: {
    syncQuotesOn: ({ event }: { event: LinkEvent }) =>
      event.facts?.syncQuotes !== false,
  },
});

function quoteOn(state: 'absent' | 'crmOnly' | 'linked') {
  const off = {
    ...(state === 'absent' ? { target: 'crmOnly' } : {}),
    actions: ['remember', applied('QUO-C1')],
  };
  const write = [
    {
      guard: 'syncQuotesOn',
      target: 'linked',
      actions: ['remember', applied('QUO-C1'), 'upsert'],
    },
    off,
  ];
  const none = {
    ...(state === 'absent' ? { target: 'crmOnly' } : {}),
    actions: ['remember', applied('QUO-C2')],
  };

  return {
    'quote.created': write,
    'quote.updated': write,
    'quote.deleted': none,
    'quote.imported': none,
  } as never;
}

/**
 * A CRM quote (báo giá) and its copy on ACT (QUO-*); sync can be switched
 * off per connection, and then quotes stay on CRM.
 *
 * @example
 * const [snapshot] = initialTransition(quoteMachine);
 */
export const quoteMachine = quoteSetup.createMachine({
  id: 'quote',
  context: emptyLinkContext('quote'),
  initial: 'absent',
  states: {
    absent: { on: quoteOn('absent') },
    crmOnly: { on: quoteOn('crmOnly') },
    linked: { on: quoteOn('linked') },
  },
});
