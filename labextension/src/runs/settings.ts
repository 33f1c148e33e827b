/**
 * The user settings of the Runs plugin (schema/runs.json), with their defaults.
 */
import { ISettingRegistry } from '@jupyterlab/settingregistry';

export interface IRunsSettings {
  /** The runner of runs started from the UI; null lets the server choose. */
  runner: 'local' | 'docker' | null;
  /** Keep the newest output in view while a run writes. */
  followOutput: boolean;
  /** How many runs one page of the history holds. */
  historyPageSize: number;
}

export const DEFAULT_SETTINGS: IRunsSettings = {
  runner: null,
  followOutput: true,
  historyPageSize: 50
};

/** The settings as the registry holds them, checked and defaulted. */
export function readSettings(
  settings: ISettingRegistry.ISettings
): IRunsSettings {
  const runner = settings.get('runner').composite;
  const follow = settings.get('followOutput').composite;
  const pageSize = settings.get('historyPageSize').composite;
  return {
    runner: runner === 'local' || runner === 'docker' ? runner : null,
    followOutput: typeof follow === 'boolean' ? follow : true,
    historyPageSize:
      typeof pageSize === 'number' && pageSize >= 1 && pageSize <= 200
        ? Math.floor(pageSize)
        : DEFAULT_SETTINGS.historyPageSize
  };
}
