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
  export const filterByTag = 'scriptforge:filter-by-tag';
  // Versions and the editor (args: `id` = script id unless said otherwise).
  export const openVersions = 'scriptforge:open-versions';
  export const snapshot = 'scriptforge:snapshot';
  export const publish = 'scriptforge:publish';
  export const compareVersions = 'scriptforge:compare-versions';
  export const restoreVersion = 'scriptforge:restore-version';
  export const labelVersion = 'scriptforge:label-version';
  /** Args `id` (script) and `versionId`: diff that version against the editor's text. */
  export const compareWithWorkingCopy = 'scriptforge:compare-with-working-copy';
  /** Mark a version (`versionId`) as the left side of the next comparison. */
  export const selectForCompare = 'scriptforge:select-for-compare';
  /** Diff the version selected for comparison with `versionId`. */
  export const compareWithSelected = 'scriptforge:compare-with-selected';
  /** Remove label `label` from version `versionId`. */
  export const removeLabel = 'scriptforge:remove-version-label';
  /** Save the active script editor, then run its working copy. */
  export const runFromEditor = 'scriptforge:run-from-editor';
  // Runs and groups.
  /** Start a run of a script: args `id`, optional `interpreter`, `source`, `versionId`. */
  export const runScript = 'scriptforge:run-script';
  /** Show one run (a group run with its children) in the Runs panel: arg `runId`. */
  export const showRun = 'scriptforge:show-run';
  export const openRuns = 'scriptforge:open-runs';
  export const cancelRun = 'scriptforge:cancel-run';
  export const rerun = 'scriptforge:rerun';
  export const newGroup = 'scriptforge:new-group';
  /** Open the group editor: arg `groupId`. */
  export const editGroup = 'scriptforge:edit-group';
  /** Start a run of a group: arg `groupId`. */
  export const runGroup = 'scriptforge:run-group';
  /** Add a script to a group, asking which: arg `id` = script id. */
  export const addToGroup = 'scriptforge:add-to-group';
}

/** The client of the ScriptForge REST API, shared by all plugins. */
export const IScriptForgeClient = new Token<ScriptForgeClient>(
  'jupyter-scriptforge:IScriptForgeClient',
  'The typed client of the ScriptForge REST API.'
);
