import { describe, expect, it } from 'vitest';

import {
  formatParameters,
  formatValue,
  parameterPairs
} from '../../src/ui/parameterValues';

describe('parameter values as the views show them', () => {
  it('writes each value as a shell would read it back', () => {
    expect(formatValue(3)).toBe('3');
    expect(formatValue(2.5)).toBe('2.5');
    expect(formatValue(true)).toBe('true');
    expect(formatValue('report.csv')).toBe('report.csv');
    expect(formatValue('two words')).toBe('"two words"');
    expect(formatValue('')).toBe('""');
    expect(formatValue('a=b')).toBe('"a=b"');
    expect(formatValue(['x', 'y z'])).toBe('[x, "y z"]');
    expect(formatValue(null)).toBe('null');
  });

  it('pairs each name with its value, in the order given, leaving out what is unset', () => {
    expect(
      parameterPairs({ source: 'in.csv', count: 3, when: undefined, tags: [] })
    ).toEqual(['source=in.csv', 'count=3', 'tags=[]']);
  });

  it('shows them all on one line when they fit', () => {
    expect(formatParameters({ count: 3, day: 'monday' }, 60)).toBe(
      'count=3 day=monday'
    );
    expect(formatParameters({})).toBe('');
  });

  it('keeps the pairs that fit a compact line and says more follow', () => {
    const values = { count: 3, day: 'monday', note: 'x'.repeat(40) };

    const compact = formatParameters(values, 30);

    expect(compact).toBe('count=3 day=monday …');
    expect(compact.length).toBeLessThanOrEqual(30);
    expect(formatParameters(values)).toContain(`note=${'x'.repeat(40)}`);
  });

  it('cuts a first pair too long for the line', () => {
    const compact = formatParameters({ note: 'y'.repeat(50) }, 20);

    expect(compact).toBe(`note=${'y'.repeat(14)}…`);
    expect(compact.length).toBe(20);
  });
});
