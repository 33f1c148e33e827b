/**
 * What the features share: command ids, and the tokens of the services one
 * plugin provides and others use. A feature folder imports another feature only
 * through these (and the shared client/ and ui/ folders).
 */
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor } from '@jupyterlab/fileeditor';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject, Token } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal } from '@lumino/signaling';

import {
  ILanguageDiagnostic,
  ILanguageServerStatus,
  IParameterError,
  IScript,
  IScriptForgeClient as IClient,
  IScriptParameters,
  ParameterValues
} from './client';
import { IResourceLabels as ILabels } from './client/labels';
import { IUserRights as IRights } from './client/rights';

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
  /**
   * Show what the script editor's script (`widgetId` or `path`) declares it
   * needs (PEP 723), its pins and their state.
   */
  export const showDependencies = 'scriptforge:show-dependencies';
  // Runs and groups.
  /**
   * Start a run of a script: args `id`, optional `interpreter`, `source`,
   * `versionId`. A version that declares parameters asks for their values in
   * the run form first, unless `parameters` (an object of values) gives them.
   */
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
  // Schedules.
  /** Schedule runs of a script, asking when: arg `id` (or the sidebar's row). */
  export const scheduleScript = 'scriptforge:schedule-script';
  /** Schedule runs of a group, asking when: arg `groupId`. */
  export const scheduleGroup = 'scriptforge:schedule-group';
  /** Change a schedule's name, times or zone: arg `scheduleId`. */
  export const editSchedule = 'scriptforge:edit-schedule';
  export const scheduleRuns = 'scriptforge:schedule-runs';
  // The assistant.
  export const openAssistant = 'scriptforge:open-assistant';
  export const explainSelection = 'scriptforge:assistant-explain';
  /** Ask the assistant to fix a failed run: arg `runId`. */
  export const fixRun = 'scriptforge:assistant-fix';
}

/** The client of the ScriptForge REST API (client/), one per resource. */
export type IScriptForgeClient = IClient;

/** The client of the ScriptForge REST API, shared by all plugins. */
export const IScriptForgeClient = new Token<IScriptForgeClient>(
  'jupyter-scriptforge:IScriptForgeClient',
  'The typed client of the ScriptForge REST API.'
);

/** Names of scripts, groups and versions by id (client/labels.ts). */
export type IResourceLabels = ILabels;

/** One cache of names, so a name changed in one view shows in the others. */
export const IResourceLabels = new Token<IResourceLabels>(
  'jupyter-scriptforge:IResourceLabels',
  'Names of the scripts, groups and versions that runs and groups refer to by id.'
);

/** What the user may do (client/rights.ts). */
export type IUserRights = IRights;

/** The user's ScriptForge rights, so features offer only what they may do. */
export const IUserRights = new Token<IUserRights>(
  'jupyter-scriptforge:IUserRights',
  "The user's ScriptForge rights (read, write, run, assistant, admin), from GET me."
);

/** A file editor widget. */
export type EditorWidget = IDocumentWidget<FileEditor>;

/** What the tracker knows of the active editor. */
export type ActiveScript =
  /** No file editor in front. */
  | { kind: 'none' }
  /** Finding out whether the file is a script. */
  | { kind: 'loading'; widget: EditorWidget }
  /** A file that is no script of the catalog. */
  | { kind: 'not-script'; widget: EditorWidget }
  | { kind: 'failed'; widget: EditorWidget; message: string }
  | { kind: 'script'; widget: EditorWidget; script: IScript };

/**
 * Which script editor: the one with widget id `widgetId` (a toolbar's own
 * editor, whatever its path has become), else the one at `path` (as JupyterLab
 * names it, or relative to the server root), else the current file editor.
 */
export interface IEditorQuery {
  widgetId?: string;
  path?: string;
}

/** The editor query in a command's args (`widgetId`, `path`). */
export function editorQuery(args: ReadonlyPartialJSONObject): IEditorQuery {
  return {
    widgetId: typeof args.widgetId === 'string' ? args.widgetId : undefined,
    path: typeof args.path === 'string' ? args.path : undefined
  };
}

/** The editor's current (possibly unsaved) text. */
export function editorText(widget: EditorWidget): string {
  return widget.content.model.sharedModel.getSource();
}

/** What became of an editor after the server rewrote its file. */
export type SyncOutcome =
  /** The editor now shows the new content. */
  | 'reloaded'
  /** It holds unsaved edits of the user's, which it keeps. */
  | 'kept-edits'
  /** The file did not change in time (the user's edits on disk stay). */
  | 'unchanged'
  /** Reading the file or reloading the editor failed (logged). */
  | 'failed';

/** Follows the active script editor for the version panel, toolbar and status bar. */
export interface IScriptEditorTracker {
  /** The active editor and its script. */
  readonly active: ActiveScript;
  /**
   * Emitted when the active editor changes, and after every refresh (a save, a
   * publish, a restore…): listeners fetch what they show again.
   */
  readonly changed: ISignal<IScriptEditorTracker, ActiveScript>;
  /**
   * The script whose working copy `path` is, or null; looked up on the server.
   * `path` may carry a drive prefix (`RTC:scripts/x.py`): the server gets the
   * local path.
   */
  scriptAt(path: string): Promise<IScript | null>;
  /** Fetch the active script again and tell the listeners. */
  refresh(): Promise<void>;
  /**
   * The script editor `where` names (a path or a query; by default the current
   * file editor) and its script as last fetched; null when that is no known
   * script editor.
   */
  find(
    where?: string | IEditorQuery
  ): { widget: EditorWidget; script: IScript } | null;
  /**
   * Wait until the file holds `expected` (the server writes it a moment after its
   * answer), then reload the editor, unless it holds other unsaved edits.
   * Never rejects: a failure is logged and comes back as `'failed'`.
   */
  reloadWhenWritten(
    widget: EditorWidget,
    expected: string
  ): Promise<SyncOutcome>;
}

export const IScriptEditorTracker = new Token<IScriptEditorTracker>(
  'jupyter-scriptforge:IScriptEditorTracker',
  'Follows the file editor in front and the ScriptForge script it edits.'
);

/** A section of the Scripts sidebar, below the catalog and above the server's health. */
export interface IScriptsPanelSection {
  /** Sections show in the order of their ranks. */
  rank: number;
  /** Draw the section; `refreshToken` changes when the panel is refreshed or shown. */
  render(props: {
    refreshToken: number;
    trans: TranslationBundle;
  }): JSX.Element;
}

/** The Scripts sidebar, for the features that act on its scripts. */
export interface IScriptsPanel {
  /** The CSS selector of a script row, for context-menu entries on scripts. */
  readonly scriptSelector: string;
  /**
   * The script a command is about: its `id` argument, the catalog row
   * right-clicked, or the row focused in the catalog (a keyboard shortcut).
   */
  scriptIdOf(args: ReadonlyPartialJSONObject): number | null;
  /** Add a section to the sidebar; disposing of the result takes it away. */
  addSection(section: IScriptsPanelSection): IDisposable;
}

export const IScriptsPanel = new Token<IScriptsPanel>(
  'jupyter-scriptforge:IScriptsPanel',
  'The Scripts sidebar: the script a command points at, and room for sections below the catalog.'
);

/** Which interpreter's language server serves a file, and how it is. */
export interface IFileLanguageStatus {
  /** The file's interpreter; null when no language server takes the file. */
  interpreter: string | null;
  /** That interpreter's server; null until a document of it was opened. */
  server: ILanguageServerStatus | null;
}

/**
 * Language intelligence for ScriptForge's own panels, from the language server
 * of each interpreter (the one the file editor uses through jupyterlab-lsp).
 * Every call of a panel goes through this interface, so the engine behind it
 * can change without touching the panels.
 */
export interface ILanguageService {
  /** What `interpreter`'s server finds in `text` (null: the server's default). */
  diagnostics(
    text: string,
    interpreter: string | null
  ): Promise<ILanguageDiagnostic[]>;
  /** The completions offered at `offset` of `text`. */
  completions(
    text: string,
    offset: number,
    interpreter: string | null
  ): Promise<string[]>;
  /** The hover text (markdown) at `offset`, or null. */
  hover(
    text: string,
    offset: number,
    interpreter: string | null
  ): Promise<string | null>;
  /** The language server of the file at `path` (relative to the server root). */
  statusOf(path: string): Promise<IFileLanguageStatus>;
}

export const ILanguageService = new Token<ILanguageService>(
  'jupyter-scriptforge:ILanguageService',
  "Diagnostics, completions and hover from each interpreter's language server."
);

/** What the run form asks for. */
export interface IParameterFormRequest {
  /** The script; the values last run with it prefill the form. */
  scriptId: number;
  /** The version's parameters; a version without any (`hasParameters`) is not asked for. */
  parameters: IScriptParameters;
  /** The dialog's title, e.g. "Run report". */
  title: string;
  /** The label of the button that accepts: "Run" by default. */
  acceptLabel?: string;
  /**
   * The values to start from, kept where the schema still takes them; the
   * values last run with the script when omitted or null.
   */
  values?: ParameterValues | null;
  /** A value the server refused, shown at its field. */
  error?: IParameterError | null;
}

/** The run form of a script's parameters (parameters/). */
export interface IParameterForms {
  /**
   * Ask for the values of a version's parameters in a dialog: the values once
   * the user accepts them (checked against the schema), null if cancelled.
   */
  ask(request: IParameterFormRequest): Promise<ParameterValues | null>;
  /** Remember values as the last this user ran the script with. */
  remember(scriptId: number, values: ParameterValues): Promise<void>;
}

export const IParameterForms = new Token<IParameterForms>(
  'jupyter-scriptforge:IParameterForms',
  "The run form generated from a script's parameters, and the values last run with each script."
);
