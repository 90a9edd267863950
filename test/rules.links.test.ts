import { describe, it, expect } from 'vitest';
import type { Engine } from '../index.js';
import {
  act,
  crm,
  expectConflict,
  given,
  newEngine,
  statuses,
} from './support/events.js';

const KEY = 'KH-0001';
const CUSTOMER = `customer:${KEY}`;

/** A company customer as ACT adds it, sold by NV-07. */
const COMPANY = {
  name: 'Công ty TNHH Hoa Sen',
  personal: false,
  salesEmployee: 'NV-07',
};

/** A person ACT adds as a customer; CRM keeps people as contacts. */
const PERSON = {
  name: 'Nguyễn Văn An',
  personal: true,
  salesEmployee: 'NV-01',
};

type LinkStart = 'new' | 'crmOnly' | 'actOnly' | 'linked';

/** Brings a customer code to a link state through the rules. */
function customerIn(engine: Engine, start: LinkStart, key = KEY) {
  if (start === 'crmOnly') {
    given(engine, crm('customer.created', key, { name: 'Hoa Sen' }));
  }
  if (start === 'actOnly') given(engine, act('customer.deleted', key));
  if (start === 'linked') given(engine, act('customer.created', key, COMPANY));
}

function link(engine: Engine, id = CUSTOMER) {
  return statuses(engine, id)?.link;
}

describe('CUS-C1..C5 CRM customer actions', () => {
  it.each([
    ['CUS-C1', 'customer.created'],
    ['CUS-C2', 'customer.updated'],
    ['CUS-C3', 'customer.deleted'],
    ['CUS-C4', 'customer.merged'],
    ['CUS-C5', 'customer.imported'],
  ])(
    '%s on a never-seen code makes it crmOnly and sends nothing',
    (rule, type) => {
      const engine = newEngine();

      const result = engine.handle(crm(type, KEY, { name: 'Hoa Sen' }));

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: [rule],
        commands: [],
      });
      expect(link(engine)).toBe('crmOnly');
    },
  );

  it.each(['crmOnly', 'actOnly', 'linked'] as const)(
    'CUS-C1, CUS-C3, CUS-C4 and CUS-C5 from %s send nothing and keep the link',
    (start) => {
      const engine = newEngine();
      customerIn(engine, start);

      const results = [
        crm('customer.created', KEY, { name: 'A' }),
        crm('customer.imported', KEY, { name: 'B' }),
        crm('customer.merged', KEY, { into: 'KH-0002' }),
        crm('customer.deleted', KEY),
      ].map((e) => engine.handle(e));

      expect(results.map((r) => [r.outcome, r.rules, r.commands])).toEqual([
        ['applied', ['CUS-C1'], []],
        ['applied', ['CUS-C5'], []],
        ['applied', ['CUS-C4'], []],
        ['applied', ['CUS-C3'], []],
      ]);
      expect(link(engine)).toBe(start);
    },
  );

  it.each(['crmOnly', 'actOnly'] as const)(
    'CUS-C2 edit from %s sends nothing',
    (start) => {
      const engine = newEngine();
      customerIn(engine, start);

      const result = engine.handle(
        crm('customer.updated', KEY, { name: 'Hoa Sen 2' }),
      );

      expect(result).toMatchObject({ rules: ['CUS-C2'], commands: [] });
      expect(link(engine)).toBe(start);
    },
  );

  it('CUS-C2 edit of a linked customer updates ACT, and the same values again send nothing', () => {
    const engine = newEngine();
    customerIn(engine, 'linked');
    const edit = { name: 'Hoa Sen Quận 3', phone: '028 0000 0000' };

    const first = engine.handle(crm('customer.updated', KEY, edit));
    const again = engine.handle(crm('customer.updated', KEY, edit));

    expect(first.commands).toEqual([
      {
        target: 'act',
        type: 'customer.update',
        rule: 'CUS-C2',
        key: KEY,
        data: edit,
      },
    ]);
    expect(again).toMatchObject({
      outcome: 'applied',
      rules: ['CUS-C2'],
      commands: [],
    });
  });
});

describe('CUS-A1 ACT add', () => {
  it('CUS-A1 add of a never-seen code creates the customer on CRM with its owner', () => {
    const engine = newEngine();

    const result = engine.handle(act('customer.created', KEY, COMPANY));

    expect(result.rules).toEqual(['CUS-A1']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'customer.create',
        rule: 'CUS-A1',
        key: KEY,
        data: { name: COMPANY.name, personal: false, owner: 'NV-07' },
      },
    ]);
    expect(link(engine)).toBe('linked');
  });

  it('CUS-A1 add of a personal customer creates a CRM contact kept as one customer record', () => {
    const engine = newEngine();

    const result = engine.handle(act('customer.created', KEY, PERSON));

    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'contact.create',
        rule: 'CUS-A1',
        key: KEY,
        data: { name: PERSON.name, personal: true, owner: 'NV-01' },
      },
    ]);
    expect(engine.records().map((r) => r.id)).toEqual([CUSTOMER]);
  });

  it('CUS-A1 personal customer: later CRM contact.* and ACT customer.* events reach the same record', () => {
    const engine = newEngine();
    given(engine, act('customer.created', KEY, PERSON));

    const fromCrm = engine.handle(
      crm('contact.updated', KEY, { name: 'Nguyễn Văn An (Q1)' }),
    );
    const fromAct = engine.handle(
      act('customer.updated', KEY, { name: 'Nguyễn Văn Ân' }),
    );

    expect(fromCrm.rules).toEqual(['CUS-C2']);
    expect(fromCrm.commands).toEqual([
      {
        target: 'act',
        type: 'customer.update',
        rule: 'CUS-C2',
        key: KEY,
        data: { name: 'Nguyễn Văn An (Q1)' },
      },
    ]);
    expect(fromAct.commands).toEqual([
      {
        target: 'crm',
        type: 'contact.update',
        rule: 'CUS-A2',
        key: KEY,
        data: { name: 'Nguyễn Văn Ân' },
      },
    ]);
    expect(engine.records().map((r) => r.id)).toEqual([CUSTOMER]);
    expect(engine.record(`contact:${KEY}`)).toBeUndefined();
  });

  it('CUS-A1 add from actOnly creates the customer on CRM', () => {
    const engine = newEngine();
    customerIn(engine, 'actOnly');

    const result = engine.handle(act('customer.created', KEY, COMPANY));

    expect(result.rules).toEqual(['CUS-A1']);
    expect(result.commands[0]).toMatchObject({
      type: 'customer.create',
      data: { owner: 'NV-07' },
    });
    expect(link(engine)).toBe('linked');
  });

  it('CUS-A1 add of a linked code is handled as CUS-A2 and never changes the owner', () => {
    const engine = newEngine();
    customerIn(engine, 'linked');

    const result = engine.handle(
      act('customer.created', KEY, {
        name: 'Hoa Sen mới',
        salesEmployee: 'NV-99',
      }),
    );

    expect(result.rules).toEqual(['CUS-A1', 'CUS-A2']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'customer.update',
        rule: 'CUS-A2',
        key: KEY,
        data: { name: 'Hoa Sen mới' },
      },
    ]);
    expect(engine.record(CUSTOMER)?.context.owner).toBe('NV-07');
  });

  it('CUS-A1 add of a code CRM holds unlinked is a duplicate-code conflict', () => {
    const engine = newEngine();
    customerIn(engine, 'crmOnly');

    const result = expectConflict(
      engine,
      act('customer.created', KEY, COMPANY),
      'CUS-A1',
      'duplicateCode',
      [CUSTOMER],
    );

    expect(result.error?.field).toBe('key');
    expect(link(engine)).toBe('crmOnly');
    expect(engine.conflicts()[0]?.recordId).toBe(CUSTOMER);
  });

  it('CUS-A1 add of a code CRM holds as an unlinked contact is a duplicate-code conflict', () => {
    const engine = newEngine();
    given(engine, crm('contact.created', KEY, { name: 'An' }));

    expectConflict(
      engine,
      act('customer.created', KEY, PERSON),
      'CUS-A1',
      'duplicateCode',
      [`contact:${KEY}`],
    );
  });
});

describe('CUS-A2 ACT edit', () => {
  it('CUS-A2 edit of a linked customer updates CRM without the owner', () => {
    const engine = newEngine();
    customerIn(engine, 'linked');

    const result = engine.handle(
      act('customer.updated', KEY, {
        name: 'Hoa Sen 2',
        salesEmployee: 'NV-02',
      }),
    );

    expect(result.rules).toEqual(['CUS-A2']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'customer.update',
        rule: 'CUS-A2',
        key: KEY,
        data: { name: 'Hoa Sen 2' },
      },
    ]);
    expect(engine.record(CUSTOMER)?.context.owner).toBe('NV-07');
  });

  it('CUS-A2 edit that changes only the sales employee sends nothing', () => {
    const engine = newEngine();
    customerIn(engine, 'linked');

    const result = engine.handle(
      act('customer.updated', KEY, {
        name: COMPANY.name,
        salesEmployee: 'NV-02',
      }),
    );

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['CUS-A2'],
      commands: [],
    });
  });

  it.each(['new', 'actOnly'] as const)(
    'CUS-A2 edit from %s is handled as CUS-A1 and creates the customer on CRM',
    (start) => {
      const engine = newEngine();
      customerIn(engine, start);

      const result = engine.handle(act('customer.updated', KEY, COMPANY));

      expect(result.rules).toEqual(['CUS-A2', 'CUS-A1']);
      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'customer.create',
          rule: 'CUS-A1',
          key: KEY,
          data: { name: COMPANY.name, personal: false, owner: 'NV-07' },
        },
      ]);
      expect(link(engine)).toBe('linked');
    },
  );

  it('CUS-A2 edit of a code CRM holds unlinked is a duplicate-code conflict', () => {
    const engine = newEngine();
    customerIn(engine, 'crmOnly');

    expectConflict(
      engine,
      act('customer.updated', KEY, { name: 'X' }),
      'CUS-A2',
      'duplicateCode',
      [CUSTOMER],
    );
    expect(link(engine)).toBe('crmOnly');
  });
});

describe('CUS-A3, CUS-A4 ACT delete and merge', () => {
  it.each([
    ['CUS-A3', 'customer.deleted'],
    ['CUS-A4', 'customer.merged'],
  ])(
    '%s on a never-seen code makes it actOnly and sends nothing',
    (rule, type) => {
      const engine = newEngine();

      const result = engine.handle(act(type, KEY));

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: [rule],
        commands: [],
      });
      expect(link(engine)).toBe('actOnly');
    },
  );

  it.each(['crmOnly', 'actOnly', 'linked'] as const)(
    'CUS-A3 and CUS-A4 from %s send nothing and keep the link',
    (start) => {
      const engine = newEngine();
      customerIn(engine, start);

      const merged = engine.handle(
        act('customer.merged', KEY, { into: 'KH-0002' }),
      );
      const deleted = engine.handle(act('customer.deleted', KEY));

      expect([merged.rules, merged.commands]).toEqual([['CUS-A4'], []]);
      expect([deleted.rules, deleted.commands]).toEqual([['CUS-A3'], []]);
      expect(link(engine)).toBe(start);
    },
  );
});

describe('CUS-A5 ACT import', () => {
  it('CUS-A5 import of a never-seen code is handled as CUS-A1', () => {
    const engine = newEngine();

    const result = engine.handle(act('customer.imported', KEY, PERSON));

    expect(result.rules).toEqual(['CUS-A5', 'CUS-A1']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'contact.create',
        rule: 'CUS-A1',
        key: KEY,
        data: { name: PERSON.name, personal: true, owner: 'NV-01' },
      },
    ]);
    expect(link(engine)).toBe('linked');
  });

  it('CUS-A5 import of a linked code is handled as CUS-A2', () => {
    const engine = newEngine();
    customerIn(engine, 'linked');

    const result = engine.handle(
      act('customer.imported', KEY, { name: 'Hoa Sen (nhập khẩu)' }),
    );

    expect(result.rules).toEqual(['CUS-A5', 'CUS-A2']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'customer.update',
        rule: 'CUS-A2',
        key: KEY,
        data: { name: 'Hoa Sen (nhập khẩu)' },
      },
    ]);
  });

  it('CUS-A5 import of a code CRM holds unlinked is a duplicate-code conflict', () => {
    const engine = newEngine();
    customerIn(engine, 'crmOnly');

    expectConflict(
      engine,
      act('customer.imported', KEY, COMPANY),
      'CUS-A5',
      'duplicateCode',
      [CUSTOMER],
    );
  });
});

describe('CUS-A6 ACT fetch', () => {
  it.each(['new', 'crmOnly', 'actOnly', 'linked'] as const)(
    'CUS-A6 fetch from %s links the code and sends nothing',
    (start) => {
      const engine = newEngine();
      customerIn(engine, start);

      const result = engine.handle(
        act('customer.fetched', KEY, { name: 'Hoa Sen' }),
      );

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['CUS-A6'],
        commands: [],
      });
      expect(link(engine)).toBe('linked');
    },
  );

  it('CUS-A6 fetch makes later CRM edits sync (CUS-C2)', () => {
    const engine = newEngine();
    customerIn(engine, 'crmOnly');
    given(engine, act('customer.fetched', KEY, { name: 'Hoa Sen' }));

    const result = engine.handle(
      crm('customer.updated', KEY, { name: 'Hoa Sen Quận 3' }),
    );

    expect(result.commands).toEqual([
      {
        target: 'act',
        type: 'customer.update',
        rule: 'CUS-C2',
        key: KEY,
        data: { name: 'Hoa Sen Quận 3' },
      },
    ]);
  });

  it('CUS-A6 fetch links a CRM contact, and ACT edits then update the contact', () => {
    const engine = newEngine();
    given(engine, crm('contact.created', KEY, { name: 'An' }));

    given(engine, act('customer.fetched', KEY, { name: 'An' }));
    const result = engine.handle(act('customer.updated', KEY, { name: 'Ân' }));

    expect(link(engine, `contact:${KEY}`)).toBe('linked');
    expect(result.commands[0]).toMatchObject({
      type: 'contact.update',
      data: { name: 'Ân' },
    });
  });
});

describe('customer codes', () => {
  it('CUS-C1 and CUS-A1 treat NFD and NFC spellings of a code as one record', () => {
    const engine = newEngine();
    const nfc = 'KH-NGỌC';
    given(engine, crm('customer.created', nfc.normalize('NFD'), { name: 'A' }));

    expectConflict(
      engine,
      act('customer.created', ` ${nfc} `, COMPANY),
      'CUS-A1',
      'duplicateCode',
      [`customer:${nfc}`],
    );
    expect(engine.records().map((r) => r.id)).toEqual([`customer:${nfc}`]);
  });

  it('CUS-C1 keeps codes that differ only in case apart', () => {
    const engine = newEngine();
    given(
      engine,
      crm('customer.created', 'kh-0001', { name: 'a' }),
      act('customer.created', KEY, COMPANY),
    );

    expect(link(engine, 'customer:kh-0001')).toBe('crmOnly');
    expect(link(engine)).toBe('linked');
  });
});

describe('PRD products', () => {
  const SP = 'SP-GHE';
  const PRODUCT = `product:${SP}`;
  const CHAIR = { name: 'Ghế văn phòng', unit: 'Cái', price: '1250000' };

  function productIn(engine: Engine, start: LinkStart) {
    if (start === 'crmOnly') given(engine, crm('product.deleted', SP));
    if (start === 'actOnly') given(engine, act('product.deleted', SP));
    if (start === 'linked') given(engine, crm('product.created', SP, CHAIR));
  }

  it.each([
    ['new', 'product.created'],
    ['crmOnly', 'product.updated'],
    ['actOnly', 'product.imported'],
    ['linked', 'product.updated'],
  ] as const)(
    'PRD-C1 from %s (%s) upserts the product on ACT and links it',
    (start, type) => {
      const engine = newEngine();
      productIn(engine, start);
      const data = { ...CHAIR, price: '1300000' };

      const result = engine.handle(crm(type, SP, data));

      expect(result.rules).toEqual(['PRD-C1']);
      expect(result.commands).toEqual([
        {
          target: 'act',
          type: 'product.upsert',
          rule: 'PRD-C1',
          key: SP,
          data,
        },
      ]);
      expect(link(engine, PRODUCT)).toBe('linked');
    },
  );

  it('PRD-C1 edit that repeats what ACT was sent sends nothing', () => {
    const engine = newEngine();
    productIn(engine, 'linked');

    const result = engine.handle(crm('product.updated', SP, CHAIR));

    expect(result).toMatchObject({ rules: ['PRD-C1'], commands: [] });
  });

  it('PRD-A1 echo of a PRD-C1 upsert sends nothing back to CRM', () => {
    const engine = newEngine();
    productIn(engine, 'linked');

    const result = engine.handle(act('product.updated', SP, CHAIR));

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['PRD-A1'],
      commands: [],
    });
  });

  it.each([
    ['new', 'product.created'],
    ['actOnly', 'product.imported'],
    ['linked', 'product.updated'],
  ] as const)(
    'PRD-A1 from %s (%s) upserts the product on CRM and links it',
    (start, type) => {
      const engine = newEngine();
      productIn(engine, start);
      const data = { ...CHAIR, price: '1200000' };

      const result = engine.handle(act(type, SP, data));

      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'product.upsert',
          rule: 'PRD-A1',
          key: SP,
          data,
        },
      ]);
      expect(link(engine, PRODUCT)).toBe('linked');
    },
  );

  it.each(['product.created', 'product.updated', 'product.imported'])(
    'PRD-A1 %s of a code CRM holds unlinked is a duplicate-code conflict',
    (type) => {
      const engine = newEngine();
      productIn(engine, 'crmOnly');

      expectConflict(engine, act(type, SP, CHAIR), 'PRD-A1', 'duplicateCode', [
        PRODUCT,
      ]);
      expect(link(engine, PRODUCT)).toBe('crmOnly');
    },
  );

  it.each(['new', 'crmOnly', 'actOnly', 'linked'] as const)(
    'PRD-C2 and PRD-A2 from %s send nothing',
    (start) => {
      const engine = newEngine();
      productIn(engine, start);

      const results = [
        crm('product.merged', SP, { into: 'SP-GHE-2' }),
        act('product.merged', SP, { into: 'SP-GHE-2' }),
        crm('product.deleted', SP),
        act('product.deleted', SP),
      ].map((e) => engine.handle(e));

      expect(results.map((r) => [r.rules, r.commands])).toEqual([
        [['PRD-C2'], []],
        [['PRD-A2'], []],
        [['PRD-C2'], []],
        [['PRD-A2'], []],
      ]);
      expect(link(engine, PRODUCT)).toBe(start === 'new' ? 'crmOnly' : start);
    },
  );
});

describe('QUO quotes', () => {
  const BG = 'BG-0007';
  const QUOTE = `quote:${BG}`;
  const DATA = {
    customer: KEY,
    lines: [
      { line: '1', product: 'VT-0001', quantity: '50', unitPrice: '75000' },
    ],
    total: '3750000',
  };

  it.each(['quote.created', 'quote.updated'])(
    'QUO-C1 %s upserts the quote on ACT and links it',
    (type) => {
      const engine = newEngine();

      const result = engine.handle(crm(type, BG, DATA));

      expect(result.commands).toEqual([
        {
          target: 'act',
          type: 'quote.upsert',
          rule: 'QUO-C1',
          key: BG,
          data: DATA,
        },
      ]);
      expect(link(engine, QUOTE)).toBe('linked');
    },
  );

  it('QUO-C1 edit of a linked quote sends it again only when it changed', () => {
    const engine = newEngine();
    given(engine, crm('quote.created', BG, DATA));

    const same = engine.handle(crm('quote.updated', BG, DATA));
    const changed = engine.handle(
      crm('quote.updated', BG, { ...DATA, total: '3700000' }),
    );

    expect(same).toMatchObject({ rules: ['QUO-C1'], commands: [] });
    expect(changed.commands).toMatchObject([
      { type: 'quote.upsert', data: { ...DATA, total: '3700000' } },
    ]);
  });

  it('QUO-C1 with syncQuotes off sends nothing and the quote stays crmOnly', () => {
    const engine = newEngine('salesOrder', false);

    const created = engine.handle(crm('quote.created', BG, DATA));
    const updated = engine.handle(
      crm('quote.updated', BG, { ...DATA, total: '1' }),
    );

    expect([created.rules, created.commands]).toEqual([['QUO-C1'], []]);
    expect([updated.rules, updated.commands]).toEqual([['QUO-C1'], []]);
    expect(link(engine, QUOTE)).toBe('crmOnly');
  });

  it.each(['quote.deleted', 'quote.imported'])(
    'QUO-C2 %s of a never-seen quote sends nothing and leaves it crmOnly',
    (type) => {
      const engine = newEngine();

      const result = engine.handle(crm(type, BG, DATA));

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['QUO-C2'],
        commands: [],
      });
      expect(link(engine, QUOTE)).toBe('crmOnly');
    },
  );

  it('QUO-C2 delete of a linked quote sends nothing and keeps it linked', () => {
    const engine = newEngine();
    given(engine, crm('quote.created', BG, DATA));

    const result = engine.handle(crm('quote.deleted', BG));

    expect(result).toMatchObject({ rules: ['QUO-C2'], commands: [] });
    expect(link(engine, QUOTE)).toBe('linked');
  });
});
