import { describe, it, expect } from 'vitest';
import Big from 'big.js';
import {
  addDecimals,
  compareDecimals,
  isNegative,
  isZero,
  mulDecimals,
  subDecimals,
  sumDecimals,
  toDecimalString,
} from '../src/events/decimal.js';

describe('toDecimalString', () => {
  it.each([
    ['3.50', '3.5'],
    ['3.0', '3'],
    ['007', '7'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['0.1', '0.1'],
    ['-12.340', '-12.34'],
    ['12345678901234567890', '12345678901234567890'],
    ['0.00000000000000000001', '0.00000000000000000001'],
  ])('writes %s as %s', (input, expected) => {
    expect(toDecimalString(input)).toBe(expected);
  });

  it.each([
    [1e21, '1000000000000000000000'],
    [1e-7, '0.0000001'],
    [0.1, '0.1'],
    [-0, '0'],
    [3.5, '3.5'],
    [-2, '-2'],
  ])('writes the number %s as %s', (input, expected) => {
    expect(toDecimalString(input)).toBe(expected);
  });

  it('never uses exponent notation, even for the largest double', () => {
    const text = toDecimalString(Number.MAX_VALUE);
    expect(text).toMatch(/^\d+$/);
    expect(text).toHaveLength(309);
  });

  it('throws on text that is not a number', () => {
    expect(() => toDecimalString('abc')).toThrow();
    expect(() => toDecimalString(Number.NaN)).toThrow();
    expect(() => toDecimalString(Number.POSITIVE_INFINITY)).toThrow();
  });

  it('leaves the shared big.js settings alone', () => {
    toDecimalString(1e30);
    expect(Big.PE).toBe(21);
    expect(new Big('1e30').toString()).toBe('1e+30');
  });
});

describe('arithmetic', () => {
  it('adds exactly, where binary floating point does not', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(addDecimals('1250000', '3400000', '0.5')).toBe('4650000.5');
    expect(addDecimals()).toBe('0');
  });

  it('sums a list exactly', () => {
    expect(sumDecimals(['0.1', '0.1', '0.1'])).toBe('0.3');
    expect(sumDecimals([])).toBe('0');
    expect(sumDecimals(['12345678901234567890', '1'])).toBe(
      '12345678901234567891',
    );
  });

  it('subtracts exactly and writes zero as 0', () => {
    expect(subDecimals('19300000', '5000000')).toBe('14300000');
    expect(subDecimals('0.3', '0.1')).toBe('0.2');
    expect(subDecimals('1.5', '1.50')).toBe('0');
    expect(subDecimals('5', '7.25')).toBe('-2.25');
  });

  it('multiplies exactly', () => {
    expect(mulDecimals('12', '1250000')).toBe('15000000');
    expect(mulDecimals('0.1', '0.2')).toBe('0.02');
    expect(mulDecimals('-0', '5')).toBe('0');
    expect(mulDecimals('99999999999999999999', '99999999999999999999')).toBe(
      '9999999999999999999800000000000000000001',
    );
  });

  it('compares values, not text', () => {
    expect(compareDecimals('3.50', '3.5')).toBe(0);
    expect(compareDecimals('10', '9')).toBe(1);
    expect(compareDecimals('-1', '0')).toBe(-1);
  });

  it('tells zero and negative values', () => {
    expect(isZero('0')).toBe(true);
    expect(isZero('-0.00')).toBe(true);
    expect(isZero('0.001')).toBe(false);
    expect(isNegative('-0.001')).toBe(true);
    expect(isNegative('-0')).toBe(false);
    expect(isNegative('5')).toBe(false);
  });
});
