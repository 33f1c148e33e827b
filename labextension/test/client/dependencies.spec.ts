import { describe, expect, it } from 'vitest';

import { ScriptForgeClient } from '../../src/client';
import { answering } from '../helpers';

describe('the dependencies of a script, through the scripts client', () => {
  it('asks about the head on the script interpreter unless told which', async () => {
    const { settings, requests } = answering({ state: 'none' });
    const client = new ScriptForgeClient(settings);

    await client.scripts.dependencies(3);
    await client.scripts.dependencies(3, {
      versionId: 7,
      interpreter: 'pypy-3.10'
    });

    expect(requests).toEqual([
      'GET http://localhost:8888/scriptforge/api/scripts/3/dependencies ',
      'GET http://localhost:8888/scriptforge/api/scripts/3/dependencies?version=7&interpreter=pypy-3.10 '
    ]);
  });

  it('prepares them with a POST of the same version and interpreter', async () => {
    const { settings, requests } = answering({ state: 'resolving' });
    const client = new ScriptForgeClient(settings);

    const state = await client.scripts.prepareDependencies(3, {
      versionId: 7,
      interpreter: 'cpython-3.11'
    });

    expect(state.state).toBe('resolving');
    expect(requests).toEqual([
      'POST http://localhost:8888/scriptforge/api/scripts/3/dependencies?version=7&interpreter=cpython-3.11 '
    ]);
  });

  it('resolves them again as a new version with a POST to resolve', async () => {
    const { settings, requests } = answering({ state: 'resolving' });
    const client = new ScriptForgeClient(settings);

    await client.scripts.resolveDependenciesAgain(3, {
      interpreter: 'pypy-3.9'
    });

    expect(requests).toEqual([
      'POST http://localhost:8888/scriptforge/api/scripts/3/dependencies/resolve?interpreter=pypy-3.9 '
    ]);
  });
});
