/**
 * Publishing with optimistic concurrency: the UI sends the published version it
 * last saw; when someone else published meanwhile (409), the user sees both
 * versions and cancels, overrides, or merges.
 */
import {
  Dialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { Panel, Widget } from '@lumino/widgets';

import {
  IPublishConflict,
  IScript,
  IVersion,
  publishConflictOf
} from '../client';
import { tryOrShowError } from '../ui/errors';
import { languageOf } from '../ui/language';
import { editorOf, fileName, IVersionsContext, versionName } from './actions';
import { DiffView } from './diffView';

/** The CSS class of the conflict and merge dialogs' bodies. */
export const CONFLICT_CLASS = 'jp-ScriptForge-conflict';

/**
 * Publish `version`; `base` is the published version id the UI last saw.
 * → whether something ended up published.
 */
export async function publishVersion(
  ctx: IVersionsContext,
  script: IScript,
  version: IVersion,
  base: number | null
): Promise<boolean> {
  try {
    await ctx.client.versions.publish(script.id, version.id, base);
  } catch (reason) {
    const conflict = publishConflictOf(reason);
    if (conflict === null) {
      await showErrorMessage(
        ctx.trans.__('Cannot publish %1', versionName(version)),
        reason as Error
      );
      return false;
    }
    return resolveConflict(ctx, script, conflict);
  }
  void ctx.tracker.refresh();
  Notification.success(
    ctx.trans.__(
      '%1 of %2 is published.',
      versionName(version),
      fileName(script)
    ),
    { autoClose: 4000 }
  );
  return true;
}

/** Show both versions; publish mine anyway, merge, or leave it. */
async function resolveConflict(
  ctx: IVersionsContext,
  script: IScript,
  conflict: IPublishConflict
): Promise<boolean> {
  const { trans, client } = ctx;
  const mine = conflict.requested;
  const theirs = conflict.published;
  void ctx.tracker.refresh();
  if (theirs === null) {
    // Unpublished meanwhile: nothing to merge with, only to confirm.
    const answer = await showDialog({
      title: trans.__('The script was unpublished'),
      body: trans.__(
        'Someone unpublished “%1” since you looked. Publish %2 anyway?',
        fileName(script),
        versionName(mine)
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.okButton({ label: trans.__('Publish Mine Anyway') })
      ]
    });
    return answer.button.accept
      ? publishVersion(ctx, script, mine, null)
      : false;
  }
  const contents = await tryOrShowError(trans.__('Cannot publish'), () =>
    Promise.all([client.versions.get(theirs.id), client.versions.get(mine.id)])
  );
  if (contents === undefined) {
    return false;
  }
  const language = await languageOf(ctx.languages, script);
  const theirSide = {
    name: versionName(theirs),
    title: trans.__(
      'Published by %1: %2 %3',
      theirs.author,
      versionName(theirs),
      theirs.message ? `“${theirs.message}”` : ''
    ),
    content: contents[0].content
  };
  const mySide = {
    name: versionName(mine),
    title: trans.__(
      'Yours: %1 %2',
      versionName(mine),
      mine.message ? `“${mine.message}”` : ''
    ),
    content: contents[1].content
  };

  const merge = trans.__('Merge…');
  const override = trans.__('Publish Mine Anyway');
  const answer = await showDialog({
    title: trans.__(
      'Someone else published %1 of “%2”',
      versionName(theirs),
      fileName(script)
    ),
    body: new ConflictBody(
      trans.__(
        '%1 published %2 since you last looked. Publishing %3 would replace it.',
        theirs.author,
        versionName(theirs),
        versionName(mine)
      ),
      new DiffView({ left: theirSide, right: mySide, language })
    ),
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: merge, displayType: 'default' }),
      Dialog.warnButton({ label: override })
    ],
    defaultButton: 0
  });
  if (answer.button.label === override) {
    return publishVersion(ctx, script, mine, theirs.id);
  }
  if (answer.button.label !== merge) {
    return false;
  }

  // The user edits the right side, taking chunks over from theirs with the arrows.
  const merged = await showDialog({
    title: trans.__('Merge %1 and %2', versionName(theirs), versionName(mine)),
    body: new ConflictBody(
      trans.__(
        'Edit the right side into the version to publish; the arrows copy a change over from %1.',
        versionName(theirs)
      ),
      new DiffView({
        left: theirSide,
        right: { ...mySide, title: trans.__('Merged result (editable)') },
        language,
        editable: true
      })
    ),
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: trans.__('Save and Publish') })
    ],
    defaultButton: 0
  });
  if (!merged.button.accept || merged.value === null) {
    return false;
  }
  const content = merged.value;
  const published = await tryOrShowError(
    trans.__('Cannot save the merge'),
    async () => {
      const saved = await client.versions.save(script.id, {
        content,
        message: trans.__(
          'Merge of %1 and %2',
          versionName(theirs),
          versionName(mine)
        )
      });
      const done = await publishVersion(ctx, script, saved.version, theirs.id);
      // The working copy follows the new head: show it in the open editor.
      const open = editorOf(ctx.tracker, script);
      if (open && saved.created) {
        void ctx.tracker.reloadWhenWritten(open, content);
      }
      return done;
    }
  );
  return published ?? false;
}

/** A dialog body: a sentence over a diff; its value is the diff's right side. */
class ConflictBody extends Panel implements Dialog.IBodyWidget<string> {
  constructor(text: string, diff: DiffView) {
    super();
    this.addClass(CONFLICT_CLASS);
    const note = new Widget();
    note.addClass('jp-ScriptForge-conflictNote');
    note.node.textContent = text;
    this.addWidget(note);
    this.addWidget(diff);
    this._diff = diff;
  }

  /** Read by the dialog before it disposes of its body. */
  getValue(): string {
    return this._diff.rightContent;
  }

  private readonly _diff: DiffView;
}
