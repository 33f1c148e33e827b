import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  DependencyStateName,
  IDependencyQuery,
  IDependencyState,
  ScriptForgeResponseError
} from '../../src/client';
import {
  AFTER_SAVE_MS,
  dependencyLabel,
  DependencyStatus,
  dependencyTooltip,
  IDependencySnapshot,
  nextStep,
  POLL_MS,
  PREPARE_GRACE_POLLS,
  shownState
} from '../../src/dependencies/status';
import { aScript, httpError, trans } from '../helpers';

/** What the server says of version 7 of a script declaring two packages. */
function aState(
  state: DependencyStateName,
  fields: Partial<IDependencyState> = {}
): IDependencyState {
  return {
    version_id: 7,
    interpreter: 'cpython-3.11',
    dependencies: ['requests<3', 'rich'],
    requires_python: '>=3.11',
    pins: null,
    state,
    message: null,
    ...fields
  };
}

const shown = (
  state: IDependencyState | null,
  error: string | null = null
): IDependencySnapshot => ({ state, error });

const PINS = ['requests==2.32.3', 'rich==13.9.4', 'urllib3==2.2.3'];

describe('the dependency indicator', () => {
  it('says how many packages and where they stand', () => {
    const label = (state: IDependencyState) =>
      dependencyLabel(shown(state), trans);

    expect(label(aState('resolving'))).toBe('2 packages · resolving…');
    expect(label(aState('installing', { pins: PINS }))).toBe(
      '2 packages · installing…'
    );
    expect(label(aState('ready', { pins: PINS }))).toBe('2 packages · ready');
    expect(label(aState('failed', { message: 'No solution' }))).toBe(
      '2 packages · failed'
    );
    expect(label(aState('unresolved'))).toBe('2 packages · not prepared');
    expect(label(aState('ready', { dependencies: ['rich'] }))).toBe(
      '1 package · ready'
    );
  });

  it('says which Python an unsupported interpreter misses', () => {
    const unsupported = aState('unsupported', {
      requires_python: '>=3.12',
      message: 'The script requires Python >=3.12; cpython-3.11 is 3.11.7.'
    });

    expect(dependencyLabel(shown(unsupported), trans)).toBe(
      '2 packages · needs Python >=3.12'
    );
    expect(
      dependencyLabel(shown({ ...unsupported, dependencies: [] }), trans)
    ).toBe('needs Python >=3.12');
    expect(shownState(shown(unsupported))).toBe('unsupported');
  });

  it('is hidden when the script declares nothing, or before the first answer', () => {
    expect(shownState(shown(aState('none', { dependencies: [] })))).toBeNull();
    expect(shownState(shown(null))).toBeNull();
    expect(dependencyLabel(shown(null), trans)).toBe('');
  });

  it('shows a refusal of the server as a failure, with its words', () => {
    const refused = shown(null, "The '# /// script' block is not valid TOML");

    expect(shownState(refused)).toBe('failed');
    expect(dependencyLabel(refused, trans)).toBe('Dependencies · failed');
    expect(dependencyTooltip(refused, trans)).toBe(
      "The '# /// script' block is not valid TOML"
    );
    // A refused prepare keeps what was declared in view.
    expect(
      dependencyLabel(shown(aState('unresolved'), 'No interpreter'), trans)
    ).toBe('2 packages · failed');
  });

  it('lists the pins on hover when ready, one a line', () => {
    expect(
      dependencyTooltip(shown(aState('ready', { pins: PINS })), trans)
    ).toBe('requests==2.32.3\nrich==13.9.4\nurllib3==2.2.3');
  });

  it("gives uv's words on hover when it failed, and the refusal when unsupported", () => {
    const words = '× No solution found when resolving dependencies:\n╰─▶ …';

    expect(
      dependencyTooltip(shown(aState('failed', { message: words })), trans)
    ).toBe(words);
    expect(
      dependencyTooltip(
        shown(aState('unsupported', { message: 'Needs Python >=3.12.' })),
        trans
      )
    ).toBe('Needs Python >=3.12.');
    expect(dependencyTooltip(shown(aState('resolving')), trans)).toContain(
      'requests<3, rich'
    );
  });
});

describe('what the editor does after an answer', () => {
  const may = { mayRun: true, prepared: false };

  it('prepares a version nothing was tried for, once, if the user may run', () => {
    expect(nextStep(aState('unresolved'), may)).toBe('prepare');
    expect(nextStep(aState('unresolved'), { ...may, prepared: true })).toBe(
      'wait'
    );
    expect(nextStep(aState('unresolved'), { ...may, mayRun: false })).toBe(
      'wait'
    );
  });

  it('polls an unresolved version a while after a prepare: the work may not show yet', () => {
    expect(
      nextStep(aState('unresolved'), { ...may, prepared: true, grace: 2 })
    ).toBe('poll');
    expect(
      nextStep(aState('unresolved'), { ...may, prepared: true, grace: 0 })
    ).toBe('wait');
  });

  it('polls while uv works, and only then', () => {
    expect(nextStep(aState('resolving'), may)).toBe('poll');
    expect(nextStep(aState('installing'), may)).toBe('poll');
    for (const state of ['none', 'ready', 'failed', 'unsupported'] as const) {
      expect(nextStep(aState(state), may)).toBe('wait');
    }
  });
});

/** A server whose answers a test sets, recording what it is asked. */
function fakeServer() {
  const asked: string[] = [];
  const server = {
    asked,
    /** What GET answers (a state, or an error to throw). */
    get: aState('unresolved') as IDependencyState | Error,
    /** What POST answers. */
    post: aState('resolving') as IDependencyState | Error,
    client: {
      dependencies: (id: number, query?: IDependencyQuery) => {
        asked.push(`GET ${id}${queryText(query)}`);
        return answer(server.get);
      },
      prepareDependencies: (id: number, query?: IDependencyQuery) => {
        asked.push(`POST ${id}${queryText(query)}`);
        return answer(server.post);
      },
      resolveDependenciesAgain: (id: number, query?: IDependencyQuery) => {
        asked.push(`POST ${id}/resolve ${query?.interpreter}`);
        return answer(server.post);
      }
    }
  };
  return server;
}

function answer(found: IDependencyState | Error): Promise<IDependencyState> {
  return found instanceof Error
    ? Promise.reject(found)
    : Promise.resolve(found);
}

function queryText(query: IDependencyQuery = {}): string {
  return query.versionId !== undefined
    ? ` v${query.versionId} ${query.interpreter}`
    : '';
}

function refusal(status: number, message: string): Error {
  return new ScriptForgeResponseError(httpError(status), message, { message });
}

/** Let the requests under way land. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('the dependency state of a script editor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const script = aScript({ id: 3, head_version_id: 7 });

  function statusOf(
    server: ReturnType<typeof fakeServer>,
    options: { mayRun?: boolean; visible?: () => boolean } = {}
  ) {
    return new DependencyStatus({
      client: server.client,
      script,
      mayRun: () => Promise.resolve(options.mayRun ?? true),
      isVisible: options.visible
    });
  }

  it('prepares an unresolved version on opening, then polls every second until ready', async () => {
    const server = fakeServer();
    const status = statusOf(server);
    const seen: (string | null)[] = [];
    status.changed.connect((_, snapshot) => seen.push(shownState(snapshot)));

    await status.check();
    expect(server.asked).toEqual(['GET 3', 'POST 3 v7 cpython-3.11']);
    expect(status.snapshot.state?.state).toBe('resolving');

    server.get = aState('installing', { pins: PINS });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    server.get = aState('ready', { pins: PINS });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    // Ready: no more questions.
    await vi.advanceTimersByTimeAsync(POLL_MS * 10);

    expect(server.asked).toEqual([
      'GET 3',
      'POST 3 v7 cpython-3.11',
      'GET 3 v7 cpython-3.11',
      'GET 3 v7 cpython-3.11'
    ]);
    // Straight to resolving: no moment of "not prepared".
    expect(seen).toEqual(['resolving', 'installing', 'ready']);
  });

  it('follows a prepare whose work the server does not show at once', async () => {
    const server = fakeServer();
    server.post = aState('unresolved');
    const status = statusOf(server);

    await status.check();
    // Shown as under way, not as "not prepared".
    expect(shownState(status.snapshot)).toBe('resolving');
    await vi.advanceTimersByTimeAsync(POLL_MS);
    server.get = aState('resolving');
    await vi.advanceTimersByTimeAsync(POLL_MS);
    server.get = aState('ready', { pins: PINS });
    await vi.advanceTimersByTimeAsync(POLL_MS * 5);

    expect(server.asked).toEqual([
      'GET 3',
      'POST 3 v7 cpython-3.11',
      'GET 3 v7 cpython-3.11',
      'GET 3 v7 cpython-3.11',
      'GET 3 v7 cpython-3.11'
    ]);
    expect(shownState(status.snapshot)).toBe('ready');
  });

  it('gives up on a prepare that never shows, after a few seconds', async () => {
    const server = fakeServer();
    server.post = aState('unresolved');
    const status = statusOf(server);

    await status.check();
    await vi.advanceTimersByTimeAsync(POLL_MS * (PREPARE_GRACE_POLLS + 10));

    // The first question, the prepare, then PREPARE_GRACE_POLLS polls.
    expect(server.asked.length).toBe(2 + PREPARE_GRACE_POLLS);
    expect(server.asked.slice(-1)).toEqual(['GET 3 v7 cpython-3.11']);
    expect(shownState(status.snapshot)).toBe('unresolved');
  });

  it('asks nothing more when the script declares none, or is ready', async () => {
    for (const state of [
      aState('none', { dependencies: [] }),
      aState('ready')
    ]) {
      const server = fakeServer();
      server.get = state;
      await statusOf(server).check();
      await vi.advanceTimersByTimeAsync(POLL_MS * 10);

      expect(server.asked).toEqual(['GET 3']);
    }
  });

  it('leaves an unresolved version alone for a user without the run right', async () => {
    const server = fakeServer();
    const status = statusOf(server, { mayRun: false });

    await status.check();
    await vi.advanceTimersByTimeAsync(POLL_MS * 5);

    expect(server.asked).toEqual(['GET 3']);
    expect(shownState(status.snapshot)).toBe('unresolved');
  });

  it('prepares a version once: a save that leaves it unresolved asks only', async () => {
    const server = fakeServer();
    server.post = refusal(403, 'You may not run scripts.');
    const status = statusOf(server);

    await status.check();
    expect(shownState(status.snapshot)).toBe('unresolved');
    status.saved();
    await vi.advanceTimersByTimeAsync(AFTER_SAVE_MS);

    expect(server.asked).toEqual(['GET 3', 'POST 3 v7 cpython-3.11', 'GET 3']);
  });

  it("shows the server's 400 as a failure with its message", async () => {
    const server = fakeServer();
    server.get = refusal(
      400,
      "The '# /// script' block is not valid TOML: Expected '=' (line 2)"
    );
    const status = statusOf(server);

    await status.check();

    expect(shownState(status.snapshot)).toBe('failed');
    expect(dependencyTooltip(status.snapshot, trans)).toContain(
      'not valid TOML'
    );
    expect(server.asked).toEqual(['GET 3']);
  });

  it('stops polling at a save, and asks about the new head after it', async () => {
    const server = fakeServer();
    server.get = aState('resolving');
    const status = statusOf(server);
    await status.check();

    status.saved();
    server.get = aState('ready', { version_id: 8 });
    await vi.advanceTimersByTimeAsync(AFTER_SAVE_MS - 1);
    expect(server.asked).toEqual(['GET 3']);
    await vi.advanceTimersByTimeAsync(1);

    expect(server.asked).toEqual(['GET 3', 'GET 3']);
    expect(status.snapshot.state?.version_id).toBe(8);
  });

  it('asks at once when the tracker brings a new head or interpreter, not for the same', async () => {
    const server = fakeServer();
    server.get = aState('ready');
    const status = statusOf(server);
    await status.check();

    status.update({ ...script });
    await settle();
    expect(server.asked).toEqual(['GET 3']);
    status.update({ ...script, head_version_id: 8 });
    await settle();
    status.update({ ...script, head_version_id: 8, interpreter: 'pypy-3.10' });
    await settle();

    expect(server.asked).toEqual(['GET 3', 'GET 3', 'GET 3']);
  });

  it('drops a late answer to an earlier question', async () => {
    const server = fakeServer();
    let release: (state: IDependencyState) => void = () => undefined;
    server.client.dependencies = () =>
      new Promise<IDependencyState>(resolve => (release = resolve));
    const status = statusOf(server);
    const first = status.check();
    const late = release;
    server.client.dependencies = () => Promise.resolve(aState('ready'));
    await status.check();

    late(aState('failed', { message: 'old' }));
    await first;

    expect(shownState(status.snapshot)).toBe('ready');
  });

  it('waits with its poll while out of sight, and asks once seen again', async () => {
    const server = fakeServer();
    server.get = aState('installing');
    let visible = false;
    const status = statusOf(server, { visible: () => visible });
    await status.check();

    await vi.advanceTimersByTimeAsync(POLL_MS * 5);
    expect(server.asked).toEqual(['GET 3']);
    visible = true;
    status.resume();
    await settle();

    expect(server.asked).toEqual(['GET 3', 'GET 3 v7 cpython-3.11']);
  });

  it('asks nothing once disposed', async () => {
    const server = fakeServer();
    server.get = aState('resolving');
    const status = statusOf(server);
    await status.check();

    status.dispose();
    await vi.advanceTimersByTimeAsync(POLL_MS * 5);

    expect(server.asked).toEqual(['GET 3']);
  });

  it('resolves again after a failure, and follows the new attempt', async () => {
    const server = fakeServer();
    server.get = aState('failed', { message: 'No solution' });
    const status = statusOf(server);
    await status.check();
    expect(server.asked).toEqual(['GET 3']);

    server.post = aState('resolving');
    server.get = aState('ready', { pins: PINS });
    await status.prepare();
    await vi.advanceTimersByTimeAsync(POLL_MS);

    expect(server.asked).toEqual([
      'GET 3',
      'POST 3 v7 cpython-3.11',
      'GET 3 v7 cpython-3.11'
    ]);
    expect(shownState(status.snapshot)).toBe('ready');
  });

  it('resolves a ready version again as a new one, and follows that one', async () => {
    const server = fakeServer();
    server.get = aState('ready', { pins: PINS });
    const status = statusOf(server);
    await status.check();

    server.post = aState('resolving', { version_id: 8 });
    server.get = aState('ready', { version_id: 8, pins: ['requests==2.33.0'] });
    await status.resolveAgain();
    await vi.advanceTimersByTimeAsync(POLL_MS);

    expect(server.asked).toEqual([
      'GET 3',
      'POST 3/resolve cpython-3.11',
      'GET 3 v8 cpython-3.11'
    ]);
    expect(status.snapshot.state?.version_id).toBe(8);
    expect(shownState(status.snapshot)).toBe('ready');
  });

  it('hides itself when the script is gone', async () => {
    const server = fakeServer();
    server.get = refusal(404, 'No script 3');
    const status = statusOf(server);

    await status.check();

    expect(shownState(status.snapshot)).toBeNull();
  });
});
