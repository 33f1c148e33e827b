import { Token } from '@lumino/coreutils';

import { ScriptForgeClient } from './client';

/** Command IDs of ScriptForge. */
export namespace CommandIDs {
  export const openScripts = 'scriptforge:open-scripts';
  export const refresh = 'scriptforge:refresh';
  export const newScript = 'scriptforge:new-script';
  export const openScript = 'scriptforge:open-script';
  export const renameScript = 'scriptforge:rename-script';
  export const deleteScript = 'scriptforge:delete-script';
  export const shareScript = 'scriptforge:share-script';
  export const makePrivate = 'scriptforge:make-script-private';
}

/** The client of the ScriptForge REST API, shared by all plugins. */
export const IScriptForgeClient = new Token<ScriptForgeClient>(
  'jupyter-scriptforge:IScriptForgeClient',
  'The typed client of the ScriptForge REST API.'
);
