import { describe, expect, it } from 'vitest';

import { splitPath } from '../../src/ui/scriptPath';

describe('a script name typed in a dialog', () => {
  it('puts the script in the folders typed before its name', () => {
    expect(splitPath('reports/finance/monthly_sales')).toEqual({
      folder: 'reports/finance',
      name: 'monthly_sales'
    });
  });

  it('goes to the top without a folder', () => {
    expect(splitPath('  scratch ')).toEqual({ folder: '', name: 'scratch' });
  });

  it('drops a .py ending and stray slashes', () => {
    expect(splitPath('/etl//load.py')).toEqual({ folder: 'etl', name: 'load' });
  });
});
