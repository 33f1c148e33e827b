/**
 * A plugin's user settings, applied now and again whenever the user changes them.
 */
import { ISettingRegistry } from '@jupyterlab/settingregistry';

/**
 * Load the settings of `pluginId` and call `apply` with them, then on every
 * change; nothing without a registry. Rejects when they cannot be loaded.
 */
export async function followSettings(
  registry: ISettingRegistry | null,
  pluginId: string,
  apply: (settings: ISettingRegistry.ISettings) => void
): Promise<void> {
  if (!registry) {
    return;
  }
  const settings = await registry.load(pluginId);
  apply(settings);
  settings.changed.connect(() => apply(settings));
}
