import { describe, expect, it } from 'vitest';

import { joinArgs, splitArgs } from '../../src/groups/args';

describe('arguments typed in one field', () => {
  it('split on whitespace, as a shell would', () => {
    expect(splitArgs('  --in  data.csv\t-v ')).toEqual([
      '--in',
      'data.csv',
      '-v'
    ]);
  });

  it('keep the spaces inside quotes, and empty quoted arguments', () => {
    expect(splitArgs(`--title "May report" 'a b' ""`)).toEqual([
      '--title',
      'May report',
      'a b',
      ''
    ]);
  });

  it('take a backslashed character as it is', () => {
    expect(splitArgs('a\\ b "say \\"hi\\""')).toEqual(['a b', 'say "hi"']);
  });

  it('show again as typed: what a field shows splits back into the same arguments', () => {
    const cases = [
      ['--out', 'my report.csv'],
      ["it's", 'a "quote"', 'back\\slash'],
      ['', 'x'],
      []
    ];
    for (const args of cases) {
      expect(splitArgs(joinArgs(args))).toEqual(args);
    }
  });

  it('show plain arguments without quotes', () => {
    expect(joinArgs(['--month', '2024-05'])).toBe('--month 2024-05');
  });
});
