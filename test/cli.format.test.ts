import { describe, expect, it } from 'vitest';
import {
  commandShort,
  layout,
  pad,
  textWidth,
  truncate,
  wrap,
} from '../src/cli/format.js';

const ORDER_LABELS = [
  'Đề nghị ghi',
  'Chưa giao hàng',
  'Chưa thanh toán',
  'Chưa thực hiện',
];

describe('table formatting', () => {
  it('counts Vietnamese text in code points of its NFC form', () => {
    const decomposed = 'Đã thanh toán'.normalize('NFD');

    expect(decomposed.length).toBeGreaterThan(13);
    expect(textWidth(decomposed)).toBe(13);
  });

  it('cuts a long cell with … to exactly its width', () => {
    expect(truncate('Chưa thanh toán', 8)).toBe('Chưa th…');
    expect(truncate('Chưa thanh toán', 15)).toBe('Chưa thanh toán');
    expect(truncate('dòng một\ndòng hai', 40)).toBe('dòng một dòng hai');
  });

  it('pads a cell on either side to its width', () => {
    expect(pad('Đã xuất', 10)).toBe('Đã xuất   ');
    expect(pad('12', 4, 'right')).toBe('  12');
  });

  it('breaks labels between pieces and marks the break with ·', () => {
    const lines = wrap(ORDER_LABELS, ' · ', 35);

    expect(lines).toEqual([
      'Đề nghị ghi · Chưa giao hàng ·',
      'Chưa thanh toán · Chưa thực hiện',
    ]);
    expect(wrap(ORDER_LABELS, ' · ', 120)).toEqual([ORDER_LABELS.join(' · ')]);
  });

  it('breaks between records with the joint a piece gives', () => {
    const lines = wrap(
      [
        'HDB-0042: Đã ghi doanh số',
        { text: 'HDS-0001: Đồng ý hủy', before: '; ' },
      ],
      ' · ',
      30,
    );

    expect(lines).toEqual([
      'HDB-0042: Đã ghi doanh số;',
      'HDS-0001: Đồng ý hủy',
    ]);
  });

  it('keeps at most maxLines lines and ends the last with … when more is left', () => {
    const words = 'a b c d e f g h i j k l'.split(' ');
    const lines = wrap(words, ' ', 5, 2);

    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(lines.every((line) => textWidth(line) <= 5)).toBe(true);
  });

  it('gives the last column what the others leave of the width', () => {
    const table = layout(
      [
        { header: 'Seq', align: 'right' },
        { header: 'Key', max: 6 },
        { header: 'Data' },
      ],
      [['1', 'DH-0001-LONG', 'x'.repeat(200)]],
      40,
    );
    const row = table.row(['1', 'DH-0001-LONG', 'x'.repeat(200)]);

    expect(table.lastStart).toBe(3 + 2 + 6 + 2);
    expect(textWidth(row)).toBe(40);
    expect(row.startsWith('  1  DH-00…  ')).toBe(true);
  });

  it('shows a command as its target app and type, or — for none', () => {
    expect(
      commandShort({
        target: 'act',
        type: 'salesOrder.upsert',
        rule: 'SO-C4',
        key: 'DH-0001',
        data: {},
      }),
    ).toBe('→ ACT salesOrder.upsert');
    expect(commandShort(undefined)).toBe('—');
  });
});
