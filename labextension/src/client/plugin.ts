/**
 * The plugins that provide the client of the REST API, and the names cache on
 * it, to every feature.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { IResourceLabels, IScriptForgeClient, IUserRights } from '../tokens';
import { ScriptForgeClient } from './index';
import { ResourceLabels } from './labels';
import { UserRights } from './rights';

/** Provides the REST client every other plugin uses. */
export const clientPlugin: JupyterFrontEndPlugin<IScriptForgeClient> = {
  id: 'jupyter-scriptforge:client',
  description: 'Provides the typed client of the ScriptForge REST API.',
  autoStart: true,
  provides: IScriptForgeClient,
  activate: () => new ScriptForgeClient()
};

/** Provides the names of scripts, groups and versions the Runs panel and group editors show. */
export const labelsPlugin: JupyterFrontEndPlugin<IResourceLabels> = {
  id: 'jupyter-scriptforge:labels',
  description:
    'Provides the names of scripts, groups and versions by id, cached for the views that show runs and groups.',
  autoStart: true,
  requires: [IScriptForgeClient],
  provides: IResourceLabels,
  activate: (_app, client: IScriptForgeClient) => new ResourceLabels(client)
};

/** Provides the user's rights; commands that need one they lack are hidden. */
export const rightsPlugin: JupyterFrontEndPlugin<IUserRights> = {
  id: 'jupyter-scriptforge:rights',
  description:
    "Provides the user's ScriptForge rights, so the features offer only what the user may do.",
  autoStart: true,
  requires: [IScriptForgeClient],
  provides: IUserRights,
  activate: (app, client: IScriptForgeClient) => {
    const rights = new UserRights(client.users);
    // Menus and the palette ask each command again, if anything is to hide: a
    // refresh of the palette while the user types would drop its active item.
    rights.changed.connect(() => {
      if (rights.limited) {
        app.commands.notifyCommandChanged();
      }
    });
    return rights;
  }
};
