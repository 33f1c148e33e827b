import { describe, expect, it } from 'vitest';

import { rerunRequest } from '../../src/runs/rerun';
import { aRun } from '../helpers';

describe('Re-run', () => {
  it('runs the same version with the same interpreter, runner, arguments, environment and timeout', () => {
    const run = aRun({
      script_id: 3,
      version_id: 9,
      interpreter: 'pypy-3.10',
      runner: 'docker',
      args: ['--day', 'monday'],
      env: { MODE: 'test' },
      timeout_seconds: 60
    });

    expect(rerunRequest(run)).toEqual({
      script_id: 3,
      version_id: 9,
      interpreter: 'pypy-3.10',
      runner: 'docker',
      args: ['--day', 'monday'],
      env: { MODE: 'test' },
      timeout: 60
    });
  });

  it('gives the same parameter values again, not the command line made of them', () => {
    const run = aRun({
      script_id: 3,
      version_id: 9,
      args: ['--count=3', '--', 'in.csv'],
      parameters: { source: 'in.csv', count: 3 }
    });

    expect(rerunRequest(run)).toEqual({
      script_id: 3,
      version_id: 9,
      parameters: { source: 'in.csv', count: 3 }
    });
  });

  it('runs with the defaults again when the first run took them all', () => {
    expect(
      rerunRequest(aRun({ script_id: 3, version_id: 9, parameters: {} }))
    ).toEqual({ script_id: 3, version_id: 9, parameters: {} });
  });

  it('leaves to the server what the first run left to it', () => {
    expect(
      rerunRequest(aRun({ script_id: 3, version_id: null, runner: null }))
    ).toEqual({ script_id: 3 });
  });

  it('runs a group as it is now', () => {
    expect(rerunRequest(aRun({ kind: 'group', group_id: 4 }))).toEqual({
      group_id: 4
    });
  });

  it('has nothing to run once the group is deleted or no script is recorded', () => {
    expect(rerunRequest(aRun({ kind: 'group', group_id: null }))).toBeNull();
    expect(rerunRequest(aRun({ script_id: null }))).toBeNull();
  });
});
