/**
 * What the user can do with a version: compare, restore, label. Each shows its
 * own errors; commands and buttons call these.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  MainAreaWidget,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { PathExt, Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { historyIcon } from '@jupyterlab/ui-components';

import { IScript, IScriptForgeClient, IVersion } from '../client';
import {
  editorText,
  EditorWidget,
  IScriptEditorTracker,
  IUserRights,
  SyncOutcome
} from '../tokens';
import { tryOrShowError } from '../ui/errors';
import { languageOf } from '../ui/language';
import { DiffView, IDiffSide } from './diffView';

/** What the version actions need from the application. */
export interface IVersionsContext {
  app: JupyterFrontEnd;
  client: IScriptForgeClient;
  tracker: IScriptEditorTracker;
  trans: TranslationBundle;
  languages: IEditorLanguageRegistry | null;
  /** What the user may do; commands they may not are hidden. */
  rights: IUserRights | null;
}

/** "v5". */
export function versionName(version: Pick<IVersion, 'seq'>): string {
  return `v${version.seq}`;
}

/** The file name of a script, as its editor tab shows it. */
export function fileName(script: IScript): string {
  return PathExt.basename(script.path);
}

/** The open editor of `script`, if it is the active one. */
export function editorOf(
  tracker: IScriptEditorTracker,
  script: IScript
): EditorWidget | null {
  const active = tracker.active;
  return active.kind === 'script' && active.script.id === script.id
    ? active.widget
    : null;
}

function versionSide(
  trans: TranslationBundle,
  version: IVersion,
  content: string
): IDiffSide {
  const parts = [
    versionName(version),
    version.author,
    Time.format(version.created_at)
  ];
  if (version.message) {
    parts.push(`“${version.message}”`);
  }
  return { name: versionName(version), title: parts.join(' · '), content };
}

/** Open a read-only diff in the main area. */
async function openDiff(
  ctx: IVersionsContext,
  script: IScript,
  left: IDiffSide,
  right: IDiffSide
): Promise<void> {
  const content = new DiffView({
    left,
    right,
    language: await languageOf(ctx.languages, script)
  });
  const widget = new MainAreaWidget({ content });
  widget.id = `jp-scriptforge-diff-${Date.now()}`;
  widget.addClass('jp-ScriptForge-diffPanel');
  widget.title.label = `${fileName(script)}: ${left.name} ↔ ${right.name}`;
  widget.title.caption = ctx.trans.__(
    'Left: %1\nRight: %2',
    left.title,
    right.title
  );
  widget.title.icon = historyIcon;
  widget.title.closable = true;
  ctx.app.shell.add(widget, 'main');
  ctx.app.shell.activateById(widget.id);
}

/** Diff two versions, the older one on the left. */
export async function compareVersions(
  ctx: IVersionsContext,
  script: IScript,
  a: IVersion,
  b: IVersion
): Promise<void> {
  const [older, newer] = a.seq <= b.seq ? [a, b] : [b, a];
  await tryOrShowError(
    ctx.trans.__('Cannot compare the versions'),
    async () => {
      const [left, right] = await Promise.all([
        ctx.client.versions.get(older.id),
        ctx.client.versions.get(newer.id)
      ]);
      await openDiff(
        ctx,
        script,
        versionSide(ctx.trans, older, left.content),
        versionSide(ctx.trans, newer, right.content)
      );
    }
  );
}

/** The working copy as the user sees it: the open editor's text, else the file. */
async function workingCopy(
  ctx: IVersionsContext,
  script: IScript
): Promise<{ content: string; unsaved: boolean }> {
  const editor = editorOf(ctx.tracker, script);
  if (editor) {
    return {
      content: editorText(editor),
      unsaved: editor.context.model.dirty
    };
  }
  const file = await ctx.app.serviceManager.contents.get(script.path, {
    type: 'file',
    format: 'text',
    content: true
  });
  return { content: file.content as string, unsaved: false };
}

/** Diff a version (left) with the working copy, unsaved edits included (right). */
export async function compareWithWorkingCopy(
  ctx: IVersionsContext,
  script: IScript,
  version: IVersion
): Promise<void> {
  const { trans } = ctx;
  await tryOrShowError(
    trans.__('Cannot compare with the working copy'),
    async () => {
      const [stored, current] = await Promise.all([
        ctx.client.versions.get(version.id),
        workingCopy(ctx, script)
      ]);
      await openDiff(ctx, script, versionSide(trans, version, stored.content), {
        name: trans.__('working copy'),
        title: current.unsaved
          ? trans.__('Working copy · %1 (with unsaved edits)', script.path)
          : trans.__('Working copy · %1', script.path),
        content: current.content
      });
    }
  );
}

/**
 * Restore a version: after confirmation, a new head with its content. The open
 * editor then shows it, unless it holds unsaved edits (the user is told).
 */
export async function restoreVersion(
  ctx: IVersionsContext,
  script: IScript,
  version: IVersion
): Promise<void> {
  const { trans } = ctx;
  const answer = await showDialog({
    title: trans.__('Restore %1?', versionName(version)),
    body: trans.__(
      'This records a new version of “%1” with the content of %2. No version is lost: the history only grows.',
      fileName(script),
      versionName(version)
    ),
    buttons: [
      Dialog.cancelButton(),
      Dialog.warnButton({ label: trans.__('Restore') })
    ]
  });
  if (!answer.button.accept) {
    return;
  }
  const restored = await tryOrShowError(
    trans.__('Cannot restore %1', versionName(version)),
    () => ctx.client.versions.restore(script.id, version.id)
  );
  if (restored === undefined) {
    return;
  }
  void ctx.tracker.refresh();
  const editor = editorOf(ctx.tracker, script);
  // The restore is done: what follows only concerns the editor, and says so.
  let outcome: SyncOutcome = 'failed';
  if (editor) {
    try {
      const { content } = await ctx.client.versions.get(restored.id);
      outcome = await ctx.tracker.reloadWhenWritten(editor, content);
    } catch (reason) {
      console.warn('ScriptForge: cannot fetch the restored version', reason);
    }
  }
  notifyRestored(trans, editor !== null, outcome, version, restored);
}

/** Say what the restore made, and whether the editor shows it. */
function notifyRestored(
  trans: TranslationBundle,
  hasEditor: boolean,
  outcome: SyncOutcome,
  version: IVersion,
  restored: IVersion
): void {
  const from = versionName(version);
  const to = versionName(restored);
  if (!hasEditor) {
    Notification.success(trans.__('%1 restored as %2.', from, to), {
      autoClose: 4000
    });
  } else if (outcome === 'reloaded') {
    Notification.success(
      trans.__('%1 restored as %2; the editor shows it.', from, to),
      { autoClose: 4000 }
    );
  } else if (outcome === 'failed') {
    Notification.warning(
      trans.__(
        '%1 restored as %2, but the editor could not load it. Use File ▸ Reload from Disk to see the restored content.',
        from,
        to
      ),
      { autoClose: false }
    );
  } else {
    Notification.warning(
      trans.__(
        '%1 restored as %2, but the editor holds unsaved edits and keeps them. Use File ▸ Reload from Disk to see the restored content.',
        from,
        to
      ),
      { autoClose: false }
    );
  }
}

/** Ask for a label and put it on the version. */
export async function labelVersion(
  ctx: IVersionsContext,
  version: IVersion
): Promise<void> {
  const { trans } = ctx;
  const answer = await InputDialog.getText({
    title: trans.__('Label %1', versionName(version)),
    label: trans.__(
      'A label names one version of the script: letters, digits, spaces or . _ - +'
    ),
    placeholder: trans.__('e.g. reviewed, release-2024-05'),
    okLabel: trans.__('Add Label')
  });
  const label = answer.value?.trim();
  if (!answer.button.accept || !label) {
    return;
  }
  await tryOrShowError(
    trans.__('Cannot label %1', versionName(version)),
    async () => {
      await ctx.client.versions.addLabel(version.id, label);
      void ctx.tracker.refresh();
    }
  );
}

/** Take a label off a version. */
export async function removeLabel(
  ctx: IVersionsContext,
  version: IVersion,
  label: string
): Promise<void> {
  await tryOrShowError(
    ctx.trans.__('Cannot remove the label “%1”', label),
    async () => {
      await ctx.client.versions.removeLabel(version.id, label);
      void ctx.tracker.refresh();
    }
  );
}
