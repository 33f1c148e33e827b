import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { IGroup, IScript, ScriptForgeResponseError } from '../../src/client';
import {
  ILabelSources,
  NAME_TTL_MS,
  ResourceLabels,
  RETRY_MS
} from '../../src/client/labels';
import { aScript, aVersion, httpError } from '../helpers';

/** A server whose scripts and groups a test changes, counting what is asked. */
function fakeServer() {
  const scripts = new Map<number, IScript | Error>();
  const groups = new Map<number, string>();
  const asked: string[] = [];
  const answer = <T>(found: T | Error | undefined): Promise<T> =>
    found === undefined
      ? Promise.reject(
          new ScriptForgeResponseError(httpError(404), 'Not found', {})
        )
      : found instanceof Error
        ? Promise.reject(found)
        : Promise.resolve(found);
  const sources: ILabelSources = {
    scripts: {
      get: id => {
        asked.push(`script ${id}`);
        return answer(scripts.get(id));
      }
    },
    groups: {
      get: id => {
        asked.push(`group ${id}`);
        const name = groups.get(id);
        return answer(name === undefined ? undefined : ({ name } as IGroup));
      }
    },
    versions: {
      get: id => {
        asked.push(`version ${id}`);
        return Promise.resolve({
          ...aVersion({ id, seq: id * 10 }),
          content: ''
        });
      },
      list: scriptId => {
        asked.push(`versions of ${scriptId}`);
        return Promise.resolve([
          aVersion({ id: 101, seq: 2, script_id: scriptId }),
          aVersion({ id: 100, seq: 1, script_id: scriptId })
        ]);
      }
    }
  };
  return { scripts, groups, asked, labels: new ResourceLabels(sources) };
}

/** Let the fetches under way land. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('names shown for ids', () => {
  it('show a script as folder/name once it arrives, and tell the views', async () => {
    const { scripts, labels } = fakeServer();
    scripts.set(1, aScript({ id: 1, name: 'daily', folder: 'reports' }));
    scripts.set(2, aScript({ id: 2, name: 'top' }));
    const changed = vi.fn();
    labels.changed.connect(changed);

    expect(labels.script(1)).toBeUndefined();
    await settle();

    expect(labels.script(1)).toBe('reports/daily');
    expect(changed).toHaveBeenCalled();
    labels.script(2);
    await settle();
    expect(labels.script(2)).toBe('top');
  });

  it('are asked for once, however many rows show them meanwhile', async () => {
    const { scripts, asked, labels } = fakeServer();
    scripts.set(1, aScript({ id: 1 }));

    labels.script(1);
    labels.script(1);
    await settle();
    labels.script(1);

    expect(asked).toEqual(['script 1']);
  });

  it('say "#id" for what is gone or not ours', async () => {
    const { labels } = fakeServer();

    labels.script(7);
    labels.group(8);
    await settle();

    expect([labels.script(7), labels.group(8)]).toEqual(['#7', '#8']);
  });

  it('follow a rename after a while, showing the old name until the new one comes', async () => {
    const { groups, labels } = fakeServer();
    groups.set(3, 'nightly');
    labels.group(3);
    await settle();

    groups.set(3, 'nightly reports');
    expect(labels.group(3)).toBe('nightly');
    await vi.advanceTimersByTimeAsync(NAME_TTL_MS + 1);
    expect(labels.group(3)).toBe('nightly');
    await settle();

    expect(labels.group(3)).toBe('nightly reports');
  });

  it('show a group saved here under its new name at once', async () => {
    const { groups, labels } = fakeServer();
    groups.set(3, 'nightly');
    labels.group(3);
    await settle();

    groups.set(3, 'weekly');
    labels.forgetGroup(3);
    labels.group(3);
    await settle();

    expect(labels.group(3)).toBe('weekly');
  });

  it('are fetched again on Refresh', async () => {
    const { scripts, labels } = fakeServer();
    scripts.set(1, aScript({ id: 1, name: 'old' }));
    labels.script(1);
    await settle();

    scripts.set(1, aScript({ id: 1, name: 'new' }));
    labels.refresh();
    labels.script(1);
    await settle();

    expect(labels.script(1)).toBe('new');
  });

  it('are tried again soon after a passing failure, keeping what was shown', async () => {
    const { scripts, asked, labels } = fakeServer();
    scripts.set(1, aScript({ id: 1, name: 'kept' }));
    labels.script(1);
    await settle();
    await vi.advanceTimersByTimeAsync(NAME_TTL_MS + 1);

    scripts.set(1, new TypeError('Failed to fetch'));
    labels.script(1);
    await settle();
    expect(labels.script(1)).toBe('kept');
    scripts.set(1, aScript({ id: 1, name: 'back' }));
    await vi.advanceTimersByTimeAsync(RETRY_MS + 1);
    labels.script(1);
    await settle();

    expect(labels.script(1)).toBe('back');
    expect(asked).toEqual(['script 1', 'script 1', 'script 1']);
  });

  it('number versions from one listing of their script, others one by one', async () => {
    const { asked, labels } = fakeServer();

    labels.version(100, 5);
    labels.version(101, 5);
    labels.version(7);
    await settle();

    expect([
      labels.version(100, 5),
      labels.version(101, 5),
      labels.version(7)
    ]).toEqual(['v1', 'v2', 'v70']);
    expect(asked).toEqual(['versions of 5', 'version 7']);
  });
});
