import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { describe, expect, it } from 'vitest';

import { DEFAULT_SETTINGS, readSettings } from '../../src/runs/settings';

/** Settings as the registry holds them: what the user set, as set. */
function userSettings(
  values: Record<string, unknown>
): ISettingRegistry.ISettings {
  return {
    get: (key: string) => ({ composite: values[key], user: values[key] })
  } as unknown as ISettingRegistry.ISettings;
}

describe('the Runs settings', () => {
  it('take what the user chose', () => {
    expect(
      readSettings(
        userSettings({
          runner: 'docker',
          followOutput: false,
          historyPageSize: 20
        })
      )
    ).toEqual({ runner: 'docker', followOutput: false, historyPageSize: 20 });
  });

  it('let the server choose the runner unless one is named', () => {
    expect(readSettings(userSettings({ runner: '' })).runner).toBeNull();
    expect(readSettings(userSettings({ runner: 'cloud' })).runner).toBeNull();
  });

  it('fall back to the defaults for values out of range', () => {
    for (const size of [0, 500, 'ten']) {
      expect(
        readSettings(userSettings({ historyPageSize: size })).historyPageSize
      ).toBe(DEFAULT_SETTINGS.historyPageSize);
    }
    expect(readSettings(userSettings({})).followOutput).toBe(true);
  });
});
