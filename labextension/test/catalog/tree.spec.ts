import { describe, expect, it } from 'vitest';

import {
  allFolders,
  byFolder,
  IFolderScripts,
  loadedFolder,
  parentFolder,
  TreeRow,
  treeRows
} from '../../src/catalog/tree';
import { IFolderCount, IScript } from '../../src/client';
import { aScript } from '../helpers';

/** The rows as a user reads them: indented names, counts, notes. */
function shown(rows: TreeRow[]): string[] {
  return rows.map(row => {
    const indent = '  '.repeat(row.depth);
    switch (row.kind) {
      case 'folder':
        return `${indent}${row.expanded ? 'v' : '>'} ${row.name}/ (${row.count})`;
      case 'script':
        return `${indent}${row.script.name}`;
      case 'more':
        return `${indent}[${row.loading ? 'Loading…' : 'Show more'}]`;
      case 'note':
        return `${indent}${row.error ? '!' : '…'} ${row.text}`;
    }
  });
}

/** Everything loaded, every folder as listed. */
function catalog(scripts: IScript[]): {
  folders: IFolderCount[];
  loaded: Map<string, IFolderScripts>;
} {
  const counts = new Map<string, number>();
  for (const script of scripts) {
    counts.set(script.folder, (counts.get(script.folder) ?? 0) + 1);
  }
  const folders = [...counts].map(([folder, count]) => ({
    folder,
    scripts: count
  }));
  return { folders, loaded: byFolder(scripts, allFolders(folders)) };
}

describe('the catalog tree', () => {
  it('shows subfolders first, by name, then the scripts of the folder', () => {
    const { folders, loaded } = catalog([
      aScript({ name: 'zeta' }),
      aScript({ name: 'monthly', folder: 'reports' }),
      aScript({ name: 'load', folder: 'etl' }),
      aScript({ name: 'alpha' })
    ]);

    const rows = treeRows(folders, loaded, new Set(), 'Loading…');

    expect(shown(rows)).toEqual([
      '> etl/ (1)',
      '> reports/ (1)',
      'zeta',
      'alpha'
    ]);
  });

  it('counts in a folder the scripts of every folder below it', () => {
    const { folders, loaded } = catalog([
      aScript({ folder: 'a' }),
      aScript({ folder: 'a/b' }),
      aScript({ folder: 'a/b' }),
      aScript({ folder: 'a/b/c' })
    ]);

    const rows = treeRows(folders, loaded, new Set(['a']), 'Loading…');

    expect(shown(rows).filter(line => line.includes('/'))).toEqual([
      'v a/ (4)',
      '  > b/ (3)'
    ]);
  });

  it('shows the content of open folders only, one level deeper', () => {
    const { folders, loaded } = catalog([
      aScript({ name: 'daily', folder: 'reports' }),
      aScript({ name: 'q1', folder: 'reports/finance' }),
      aScript({ name: 'load', folder: 'etl' })
    ]);

    const rows = treeRows(
      folders,
      loaded,
      new Set(['reports', 'reports/finance']),
      'Loading…'
    );

    expect(shown(rows)).toEqual([
      '> etl/ (1)',
      'v reports/ (2)',
      '  v finance/ (1)',
      '    q1',
      '  daily'
    ]);
  });

  it('says a folder is loading until its scripts arrive', () => {
    const folders = [{ folder: 'etl', scripts: 3 }];
    const loaded = new Map([['', loadedFolder()]]);

    const rows = treeRows(folders, loaded, new Set(['etl']), 'Loading…');

    expect(shown(rows)).toEqual(['v etl/ (3)', '  … Loading…']);
  });

  it('offers more where a folder has further pages, and the error where one failed', () => {
    const folders = [
      { folder: 'big', scripts: 300 },
      { folder: 'broken', scripts: 5 }
    ];
    const loaded = new Map<string, IFolderScripts>([
      ['', loadedFolder()],
      [
        'big',
        {
          scripts: [aScript({ name: 'first', folder: 'big' })],
          next: 'cursor',
          loading: false,
          error: null
        }
      ],
      [
        'broken',
        { scripts: [], next: 'cursor', loading: false, error: 'Server error' }
      ]
    ]);

    const rows = treeRows(
      folders,
      loaded,
      new Set(['big', 'broken']),
      'Loading…'
    );

    expect(shown(rows)).toEqual([
      'v big/ (300)',
      '  first',
      '  [Show more]',
      'v broken/ (5)',
      '  ! Server error'
    ]);
  });

  it('shows nothing for an empty catalog', () => {
    expect(treeRows([], new Map(), new Set(), 'Loading…')).toEqual([]);
  });
});

describe('folders of the catalog', () => {
  it('include the folders above a script that hold no script themselves', () => {
    expect(
      allFolders([
        { folder: 'reports/finance/2024', scripts: 1 },
        { folder: 'etl', scripts: 2 },
        { folder: '', scripts: 4 }
      ])
    ).toEqual(['etl', 'reports', 'reports/finance', 'reports/finance/2024']);
  });

  it('have their parent one level up, the top for a top-level folder', () => {
    expect(parentFolder('reports/finance/2024')).toBe('reports/finance');
    expect(parentFolder('reports')).toBe('');
  });

  it('each get the scripts directly in them, empty ones included', () => {
    const top = aScript({ name: 'top' });
    const daily = aScript({ name: 'daily', folder: 'reports' });

    const grouped = byFolder([top, daily], ['reports', 'reports/old']);

    expect(grouped.get('')?.scripts).toEqual([top]);
    expect(grouped.get('reports')?.scripts).toEqual([daily]);
    expect(grouped.get('reports/old')?.scripts).toEqual([]);
  });
});
