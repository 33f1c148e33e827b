/**
 * The plugins of ScriptForge, one folder per feature (see each folder's
 * plugin module); what the features share is in tokens.ts, client/ and ui/.
 */
import { assistantPlugin } from './assistant/plugin';
import { launcherPlugin } from './catalog/launcher';
import { scriptsPanelPlugin } from './catalog/plugin';
import { clientPlugin, labelsPlugin, rightsPlugin } from './client/plugin';
import { dependenciesPlugin } from './dependencies/plugin';
import { editorPlugin, trackerPlugin } from './editor/plugin';
import { groupsPlugin } from './groups/plugin';
import { languagePlugin } from './language/plugin';
import { parametersPlugin } from './parameters/plugin';
import { runsPlugin } from './runs/plugin';
import { schedulesPlugin } from './schedules/plugin';
import { statusPlugin, versionsPlugin } from './versions/plugin';

export default [
  clientPlugin,
  labelsPlugin,
  rightsPlugin,
  parametersPlugin,
  scriptsPanelPlugin,
  runsPlugin,
  groupsPlugin,
  schedulesPlugin,
  trackerPlugin,
  versionsPlugin,
  statusPlugin,
  editorPlugin,
  languagePlugin,
  dependenciesPlugin,
  assistantPlugin,
  launcherPlugin
];
