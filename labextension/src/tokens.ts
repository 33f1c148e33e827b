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
  // Versions and the editor. Version commands act on the script the Version
  // panel shows; `versionId` names a version of it (by default the row
  // right-clicked). Editor commands take the script editor by `widgetId` or
  // `path` (by default the current file editor).
  /** Show the Version panel; no args. */
  export const openVersions = 'scriptforge:open-versions';
  /** Record the editor's text as a version with a message: `widgetId` or `path`. */
  export const snapshot = 'scriptforge:snapshot';
  /** Publish version `versionId`; without it, save and publish the editor (`widgetId` or `path`). */
  export const publish = 'scriptforge:publish';
  /** Diff versions `from` and `to` (version ids), asking for those not given. */
  export const compareVersions = 'scriptforge:compare-versions';
  /** Restore version `versionId` as a new head. */
  export const restoreVersion = 'scriptforge:restore-version';
  /** Add a label to version `versionId`, asking for it. */
  export const labelVersion = 'scriptforge:label-version';
  /** Diff version `versionId` (by default the head) against the editor's text. */
  export const compareWithWorkingCopy = 'scriptforge:compare-with-working-copy';
  /** Mark a version (`versionId`) as the left side of the next comparison. */
  export const selectForCompare = 'scriptforge:select-for-compare';
  /** Diff the version selected for comparison with `versionId`. */
  export const compareWithSelected = 'scriptforge:compare-with-selected';
  /** Remove label `label` from version `versionId`. */
  export const removeLabel = 'scriptforge:remove-version-label';
  /** Save the script editor (`widgetId` or `path`), then run its working copy. */
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
  // The assistant.
  export const openAssistant = 'scriptforge:open-assistant';
  export const explainSelection = 'scriptforge:assistant-explain';
  /** Ask the assistant to fix a failed run: arg `runId`. */
  export const fixRun = 'scriptforge:assistant-fix';
}

/** The client of the ScriptForge REST API, shared by all plugins. */
export const IScriptForgeClient = new Token<ScriptForgeClient>(
  'jupyter-scriptforge:IScriptForgeClient',
  'The typed client of the ScriptForge REST API.'
);
