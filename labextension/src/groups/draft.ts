/**
 * A group as the editor holds it while the user types: text fields stay text until
 * saved, so "1." or a half-typed quote is never rewritten under the cursor.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { IGroup, IGroupInput, IGroupItem, ParameterValues } from '../client';
import { joinArgs, splitArgs } from './args';

export interface IDraftItem {
  /** Stable React key: the same script may be in a group twice. */
  key: number;
  scriptId: number;
  args: string;
  /**
   * The values of the script's parameters (set in the run form), sent instead
   * of `args`; null: none (free-form args, or the script's defaults).
   */
  parameters: ParameterValues | null;
  /** null runs the script on its own interpreter. */
  interpreter: string | null;
  timeout: string;
}

export interface IGroupDraft {
  name: string;
  mode: 'sequential' | 'parallel';
  maxConcurrency: string;
  stopOnFailure: boolean;
  itemTimeout: string;
  items: IDraftItem[];
}

let nextKey = 1;

/** A fresh draft item for `scriptId`. */
export function newItem(scriptId: number): IDraftItem {
  return {
    key: nextKey++,
    scriptId,
    args: '',
    parameters: null,
    interpreter: null,
    timeout: ''
  };
}

/** The draft of a group as the server has it. */
export function toDraft(group: IGroup): IGroupDraft {
  return {
    name: group.name,
    mode: group.mode,
    maxConcurrency: String(group.max_concurrency),
    stopOnFailure: group.stop_on_failure,
    itemTimeout: secondsText(group.item_timeout_seconds),
    items: group.items.map(item => ({
      ...newItem(item.script_id),
      args: joinArgs(item.args ?? []),
      parameters: item.parameters ?? null,
      interpreter: item.interpreter ?? null,
      timeout: secondsText(item.timeout_seconds ?? null)
    }))
  };
}

/**
 * What saving the draft sends, or the first mistake in it as a message.
 */
export function toInput(
  draft: IGroupDraft,
  trans: TranslationBundle
): { input: IGroupInput } | { error: string } {
  if (!draft.name.trim()) {
    return { error: trans.__('The group needs a name.') };
  }
  const concurrency = Number(draft.maxConcurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    return {
      error: trans.__('Max concurrency must be a whole number of 1 or more.')
    };
  }
  const itemTimeout = seconds(draft.itemTimeout);
  if (itemTimeout === undefined) {
    return {
      error: trans.__(
        'The default timeout must be a number of seconds above 0.'
      )
    };
  }
  const items: IGroupItem[] = [];
  for (const [index, item] of draft.items.entries()) {
    const timeout = seconds(item.timeout);
    if (timeout === undefined) {
      return {
        error: trans.__(
          'The timeout of item %1 must be a number of seconds above 0.',
          index + 1
        )
      };
    }
    items.push({
      script_id: item.scriptId,
      // Values of the parameters replace the free-form arguments.
      ...(item.parameters !== null
        ? { parameters: item.parameters }
        : { args: splitArgs(item.args) }),
      interpreter: item.interpreter,
      timeout_seconds: timeout
    });
  }
  return {
    input: {
      name: draft.name.trim(),
      mode: draft.mode,
      max_concurrency: concurrency,
      stop_on_failure: draft.stopOnFailure,
      item_timeout_seconds: itemTimeout,
      items
    }
  };
}

/**
 * Whether two drafts would save the same group (keys aside, and the order of an
 * item's parameter values: the server may give them back in another).
 */
export function sameDraft(a: IGroupDraft, b: IGroupDraft): boolean {
  const strip = (draft: IGroupDraft) =>
    JSON.stringify(
      {
        ...draft,
        items: draft.items.map(({ key, ...rest }) => rest)
      },
      sortedKeys
    );
  return strip(a) === strip(b);
}

/** A JSON replacer writing the keys of objects in order. */
function sortedKeys(key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  );
}

/** Move the item at `from` to `to`. */
export function moveItem<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) {
    return items;
  }
  const moved = [...items];
  const [item] = moved.splice(from, 1);
  moved.splice(to, 0, item);
  return moved;
}

function secondsText(value: number | null): string {
  return value === null ? '' : String(value);
}

/** Seconds typed in a field: null when empty, undefined when not a positive number. */
function seconds(text: string): number | null | undefined {
  if (!text.trim()) {
    return null;
  }
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
