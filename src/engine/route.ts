import type { OrderTarget, SyncEvent } from '../types.js';
import type { RecordKind } from '../store/store.js';

/** A record an event is about. */
export interface RecordRef {
  id: string;
  kind: RecordKind;
  key: string;
}

/** The records an event touches and whether it may create them. */
export interface Route {
  /** The record `key` names: its version is checked for staleness. */
  primary: RecordRef;
  /** The cancellation a cancellation event names by `data.proposal`. */
  secondary?: RecordRef;
  /** Whether the event creates the record it would otherwise park on. */
  creates: 'primary' | 'secondary' | null;
}

const CREATING = new Set([
  'order.created',
  'order.imported',
  'invoice.created',
  'invoice.imported',
]);

const CANCELLATION_TYPES = new Set([
  'order.cancellationProposed',
  'contract.cancellationApproved',
  'contract.cancellationRejected',
]);

/** The record id of a kind and a code. */
export function recordId(kind: RecordKind, key: string): string {
  return `${kind}:${key}`;
}

function ref(kind: RecordKind, key: string): RecordRef {
  return { id: recordId(kind, key), kind, key };
}

/**
 * Names the records an event is about. `exists` tells whether a record id is
 * known, so that a contact created on CRM from an ACT personal customer stays
 * one record, `customer:<code>`, whichever app reports on it.
 */
export function routeEvent(
  event: SyncEvent,
  exists: (id: string) => boolean,
  isContactRecord: (id: string) => boolean,
): Route {
  const [prefix] = event.type.split('.');
  const key = event.key;

  if (CANCELLATION_TYPES.has(event.type)) {
    const proposal = String(event.data.proposal ?? '').trim();

    return {
      primary: ref('order', key),
      secondary: ref('cancellation', proposal),
      creates: event.type === 'order.cancellationProposed' ? 'secondary' : null,
    };
  }

  const creates = CREATING.has(event.type) ? 'primary' : null;
  switch (prefix) {
    case 'order':
    case 'salesOrder':
    case 'contract':
      return { primary: ref('order', key), creates };
    case 'invoice':
      return { primary: ref('invoice', key), creates };
    case 'product':
      return { primary: ref('product', key), creates };
    case 'quote':
      return { primary: ref('quote', key), creates };
    case 'contact': {
      const customer = recordId('customer', key);
      if (exists(customer) && isContactRecord(customer)) {
        return { primary: ref('customer', key), creates };
      }

      return { primary: ref('contact', key), creates };
    }
    default: {
      const customer = recordId('customer', key);
      const contact = recordId('contact', key);
      if (event.source === 'act' && !exists(customer) && exists(contact)) {
        return { primary: ref('contact', key), creates };
      }

      return { primary: ref('customer', key), creates };
    }
  }
}

/** Whether an event about a never-seen record is kept until it appears. */
export function parksWhenAbsent(kind: RecordKind): boolean {
  return kind === 'order' || kind === 'invoice' || kind === 'cancellation';
}

/** The rule an event's own action is decided by, for refusals (§3). */
export function ruleOfEvent(
  type: string,
  source: 'crm' | 'act',
  target: OrderTarget,
): string | null {
  const t = target === 'contract' ? 'CT' : 'SO';
  const byType: Record<string, string> = {
    'order.created': `${t}-C1`,
    'order.updated': `${t}-C1`,
    'order.deleted': `${t}-C2`,
    'order.imported': `${t}-C3`,
    'order.proposed': `${t}-C4`,
    'order.recorded': `${t}-C5`,
    'order.rejected': `${t}-C5`,
    'order.withdrawn': `${t}-C6`,
    'order.cancellationProposed': `${t}-C7`,
    'salesOrder.revenueRecorded': 'SO-A1',
    'salesOrder.revenueUnrecorded': 'SO-A1',
    'salesOrder.fulfilmentUpdated': 'SO-A2',
    'salesOrder.statusUpdated': 'SO-A3',
    'contract.edited': 'CT-A1',
    'contract.statusUpdated': 'CT-A2',
    'contract.revenueRecorded': 'CT-A3',
    'contract.revenueRejected': 'CT-A3',
    'contract.revenueUnrecorded': 'CT-A3',
    'contract.revenueDateMoved': 'CT-A4',
    'contract.invoicingUpdated': 'CT-A5',
    'contract.paymentDeadlineUpdated': 'CT-A6',
    'contract.receiptsUpdated': 'CT-A7',
    'contract.cancellationApproved': 'CT-A8',
    'contract.cancellationRejected': 'CT-A8',
    'invoice.created': 'INV-C1',
    'invoice.updated': 'INV-C1',
    'invoice.deleted': 'INV-C2',
    'invoice.imported': 'INV-C2',
    'invoice.proposed': 'INV-C3',
    'invoice.withdrawn': 'INV-C4',
    'invoice.approved': 'INV-A1',
    'invoice.rejected': 'INV-A2',
    'invoice.issued': 'INV-A3',
    'invoice.issuanceRejected': 'INV-A4',
    'invoice.cancelled': 'INV-A5',
  };
  const rule = byType[type];
  if (rule) return rule;

  const [prefix, verb] = type.split('.');
  if (prefix === 'customer' || prefix === 'contact') {
    const letters = { crm: 'C', act: 'A' }[source];
    const numbers: Record<string, string> = {
      created: '1',
      updated: '2',
      deleted: '3',
      merged: '4',
      imported: '5',
      fetched: '6',
    };

    return `CUS-${letters}${numbers[verb ?? ''] ?? '1'}`;
  }
  if (prefix === 'product') {
    const writes = verb === 'deleted' || verb === 'merged' ? '2' : '1';

    return `PRD-${source === 'crm' ? 'C' : 'A'}${writes}`;
  }
  if (prefix === 'quote') {
    return verb === 'created' || verb === 'updated' ? 'QUO-C1' : 'QUO-C2';
  }

  return null;
}
