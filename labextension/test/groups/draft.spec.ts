import { describe, expect, it } from 'vitest';

import { IGroup } from '../../src/client';
import {
  IGroupDraft,
  moveItem,
  newItem,
  sameDraft,
  toDraft,
  toInput
} from '../../src/groups/draft';
import { trans } from '../helpers';

function aGroup(fields: Partial<IGroup> = {}): IGroup {
  return {
    id: 7,
    name: 'nightly',
    owner: 'alice',
    mode: 'sequential',
    max_concurrency: 4,
    stop_on_failure: true,
    item_timeout_seconds: null,
    items: [],
    created_at: '2024-05-01T10:00:00Z',
    updated_at: '2024-05-01T10:00:00Z',
    ...fields
  };
}

/** The draft of `group` as the user edits it. */
function edited(
  changes: Partial<IGroupDraft>,
  group: IGroup = aGroup()
): IGroupDraft {
  return { ...toDraft(group), ...changes };
}

/** What saving says is wrong, or null when the draft saves. */
function mistake(draft: IGroupDraft): string | null {
  const checked = toInput(draft, trans);
  return 'error' in checked ? checked.error : null;
}

describe('a group draft', () => {
  it('shows the group as saved, arguments quoted as typed', () => {
    const draft = toDraft(
      aGroup({
        item_timeout_seconds: 30,
        items: [
          {
            script_id: 1,
            args: ['--out', 'my report.csv'],
            timeout_seconds: 5
          },
          { script_id: 2, interpreter: 'cpython-3.13' }
        ]
      })
    );

    expect(draft.itemTimeout).toBe('30');
    expect(draft.maxConcurrency).toBe('4');
    expect(draft.items.map(item => [item.args, item.timeout])).toEqual([
      ["--out 'my report.csv'", '5'],
      ['', '']
    ]);
    expect(draft.items[1].interpreter).toBe('cpython-3.13');
  });

  it('saves what the user typed: trimmed name, numbers, split arguments', () => {
    const draft = edited({
      name: '  reports  ',
      mode: 'parallel',
      maxConcurrency: '3',
      itemTimeout: '',
      items: [
        { ...newItem(5), args: '--month "May 2024"', timeout: '1.5' },
        newItem(6)
      ]
    });

    expect(toInput(draft, trans)).toEqual({
      input: {
        name: 'reports',
        mode: 'parallel',
        max_concurrency: 3,
        stop_on_failure: true,
        item_timeout_seconds: null,
        items: [
          {
            script_id: 5,
            args: ['--month', 'May 2024'],
            interpreter: null,
            timeout_seconds: 1.5
          },
          { script_id: 6, args: [], interpreter: null, timeout_seconds: null }
        ]
      }
    });
  });

  it('needs a name', () => {
    expect(mistake(edited({ name: '   ' }))).toBe('The group needs a name.');
  });

  it('needs a whole max concurrency of 1 or more', () => {
    for (const typed of ['0', '1.5', 'two', '']) {
      expect(mistake(edited({ maxConcurrency: typed }))).toBe(
        'Max concurrency must be a whole number of 1 or more.'
      );
    }
    expect(mistake(edited({ maxConcurrency: '8' }))).toBeNull();
  });

  it('takes only timeouts above 0, and says which item is wrong', () => {
    expect(mistake(edited({ itemTimeout: '-1' }))).toBe(
      'The default timeout must be a number of seconds above 0.'
    );
    expect(
      mistake(
        edited({
          items: [newItem(1), { ...newItem(2), timeout: '0' }]
        })
      )
    ).toBe('The timeout of item 2 must be a number of seconds above 0.');
  });

  it('is unchanged when only the rows were remounted', () => {
    const saved = toDraft(aGroup({ items: [{ script_id: 1 }] }));
    const reloaded = toDraft(aGroup({ items: [{ script_id: 1 }] }));

    expect(reloaded.items[0].key).not.toBe(saved.items[0].key);
    expect(sameDraft(saved, reloaded)).toBe(true);
    expect(sameDraft(saved, { ...reloaded, stopOnFailure: false })).toBe(false);
  });

  it('saves the parameter values of an item instead of its arguments', () => {
    const group = aGroup({
      items: [
        { script_id: 1, args: [], parameters: { day: 'monday', count: 2 } },
        { script_id: 2, args: ['--fast'], parameters: null }
      ]
    });
    const draft = toDraft(group);

    expect(draft.items.map(item => item.parameters)).toEqual([
      { day: 'monday', count: 2 },
      null
    ]);
    const checked = toInput(draft, trans);
    expect('input' in checked && checked.input.items).toEqual([
      {
        script_id: 1,
        parameters: { day: 'monday', count: 2 },
        interpreter: null,
        timeout_seconds: null
      },
      {
        script_id: 2,
        args: ['--fast'],
        interpreter: null,
        timeout_seconds: null
      }
    ]);
  });

  it('is unchanged when the server gives the values back in another order', () => {
    const saved = toDraft(
      aGroup({ items: [{ script_id: 1, parameters: { a: 1, b: [2, 3] } }] })
    );
    const reloaded = toDraft(
      aGroup({ items: [{ script_id: 1, parameters: { b: [2, 3], a: 1 } }] })
    );

    expect(sameDraft(saved, reloaded)).toBe(true);
    expect(
      sameDraft(saved, {
        ...reloaded,
        items: [{ ...reloaded.items[0], parameters: { a: 1, b: [3, 2] } }]
      })
    ).toBe(false);
  });

  it('keeps the same script twice as two items', () => {
    const items = [newItem(1), newItem(1)];

    expect(items[0].key).not.toBe(items[1].key);
  });
});

describe('reordering items', () => {
  const items = ['load', 'clean', 'report'];

  it('moves an item up or down to the place asked', () => {
    expect(moveItem(items, 2, 0)).toEqual(['report', 'load', 'clean']);
    expect(moveItem(items, 0, 1)).toEqual(['clean', 'load', 'report']);
  });

  it('leaves the order alone past either end', () => {
    expect(moveItem(items, 0, -1)).toEqual(items);
    expect(moveItem(items, 2, 3)).toEqual(items);
  });

  it('does not change the list it was given', () => {
    moveItem(items, 0, 2);

    expect(items).toEqual(['load', 'clean', 'report']);
  });
});
