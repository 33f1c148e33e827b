/**
 * The state of the folder tree: folder counts, each folder's loaded scripts,
 * and which folders are open.
 *
 * A small catalog comes in one request and opens fully; a large one opens
 * collapsed and loads a folder's scripts page by page when it is opened.
 */
import * as React from 'react';

import { IFolderCount, IScript, IScriptForgeClient } from '../client';
import {
  allFolders,
  byFolder,
  IFolderScripts,
  loadedFolder,
  parentFolder
} from './tree';

/** The most scripts one request brings: the whole of a small catalog, or a folder's page. */
const PAGE = 200;

export type TreeState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | {
      kind: 'ready';
      folders: IFolderCount[];
      loaded: ReadonlyMap<string, IFolderScripts>;
      expanded: ReadonlySet<string>;
    };

export interface ICatalogTree {
  state: TreeState;
  /** Open or close a folder; opening loads its scripts when needed. */
  toggle: (folder: string, open?: boolean) => void;
  /** Load the next page of a folder's scripts. */
  loadMore: (folder: string) => void;
  /** Open a folder and every folder above it. */
  reveal: (folder: string) => void;
  /** Close every folder. */
  collapseAll: () => void;
}

/**
 * @param openUpTo - a catalog of at most this many scripts (≤ 200) comes in one
 *   request with every folder open
 */
export function useCatalogTree(
  client: IScriptForgeClient,
  refreshToken: number,
  enabled: boolean,
  openUpTo: number
): ICatalogTree {
  const [state, setState] = React.useState<TreeState>({ kind: 'loading' });
  // Folders seen before: a refresh keeps the user's choices and opens new ones
  // only in a small catalog.
  const known = React.useRef<Set<string> | null>(null);
  const latest = React.useRef(state);
  latest.current = state;

  const update = React.useCallback(
    (change: (ready: Extract<TreeState, { kind: 'ready' }>) => TreeState) => {
      setState(current =>
        current.kind === 'ready' ? change(current) : current
      );
    },
    []
  );

  // Each refresh starts a generation; answers of an older one are dropped, as the
  // folders they were asked for may have changed since.
  const generation = React.useRef(0);

  // How many scripts of each folder the user has seen or asked for ("Show more" adds a
  // page). A fetch reads it after every page: a click while the folder is loading, or
  // while a refresh drops the page on its way, is not lost.
  const wanted = React.useRef(new Map<string, number>());
  // What each folder's last fetch brought, and which fetch of a folder is the live one.
  // Refs, not state: a click may come after a fetch has ended but before React has
  // rendered its answer, and must neither wait for a fetch that is over nor ask for a
  // page from a cursor that is already spent.
  const progress = React.useRef(new Map<string, IProgress>());
  const running = React.useRef(new Map<string, symbol>());

  /** Fetch a folder's scripts, from the start or after `from`, up to what is wanted. */
  const fetchFolder = React.useCallback(
    async (folder: string, from: IProgress | null) => {
      const mine = generation.current;
      const token = Symbol(folder);
      running.current.set(folder, token);
      // A later fetch of the folder (a refresh's) supersedes this one.
      const live = () =>
        mine === generation.current && running.current.get(folder) === token;
      const kept = from?.count ?? 0;
      update(ready =>
        withFolder(ready, folder, { loading: true, error: null })
      );
      try {
        const scripts: IScript[] = [];
        let next = from?.next ?? null;
        do {
          const page = await client.scripts.list({
            folder,
            limit: PAGE,
            cursor: next
          });
          scripts.push(...page.items);
          next = page.next_cursor;
        } while (
          next !== null &&
          kept + scripts.length < (wanted.current.get(folder) ?? 0)
        );
        if (!live()) {
          return;
        }
        const count = kept + scripts.length;
        progress.current.set(folder, { count, next });
        wanted.current.set(
          folder,
          Math.max(wanted.current.get(folder) ?? 0, count)
        );
        update(ready => {
          const before = from
            ? (ready.loaded.get(folder)?.scripts ?? []).slice(0, kept)
            : [];
          return withFolder(ready, folder, {
            scripts: [...before, ...scripts],
            next,
            loading: false,
            error: null
          });
        });
      } catch (reason) {
        if (live()) {
          update(ready =>
            withFolder(ready, folder, {
              loading: false,
              error: (reason as Error).message
            })
          );
        }
      } finally {
        if (running.current.get(folder) === token) {
          running.current.delete(folder);
        }
      }
    },
    [client, update]
  );

  React.useEffect(() => {
    if (!enabled) {
      return;
    }
    const mine = ++generation.current;
    const load = async () => {
      const folders = await client.scripts.folders();
      const total = folders.reduce((sum, f) => sum + f.scripts, 0);
      const paths = allFolders(folders);
      const direct = new Set(folders.map(f => f.folder));
      const previous = latest.current;
      const before =
        previous.kind === 'ready'
          ? previous
          : { expanded: new Set<string>(), loaded: new Map() };
      const seen = known.current ?? new Set<string>();
      const small = total <= Math.min(openUpTo, PAGE);
      const expanded = new Set(
        paths.filter(p => before.expanded.has(p) || (small && !seen.has(p)))
      );
      known.current = new Set(paths);
      if (small) {
        const page = await client.scripts.list({ limit: PAGE });
        return {
          folders,
          loaded: byFolder(page.items, paths),
          expanded,
          reload: new Set<string>()
        };
      }
      // What was on screen stays there until its folder's fresh copy arrives;
      // folders with no script of their own need no request.
      const loaded = new Map<string, IFolderScripts>();
      const reload = new Set<string>();
      for (const path of ['', ...paths]) {
        const shown = before.loaded.get(path);
        if (!direct.has(path)) {
          loaded.set(path, loadedFolder());
        } else if (path === '' || expanded.has(path)) {
          if (shown) {
            loaded.set(path, shown);
          }
          reload.add(path);
        }
      }
      return { folders, loaded, expanded, reload };
    };
    load()
      .then(({ folders, loaded, expanded, reload }) => {
        if (mine !== generation.current) {
          return;
        }
        setState({ kind: 'ready', folders, loaded, expanded });
        reload.forEach(folder => void fetchFolder(folder, null));
      })
      .catch((reason: Error) => {
        if (mine === generation.current) {
          setState({ kind: 'failed', message: reason.message });
        }
      });
  }, [client, refreshToken, enabled, openUpTo, fetchFolder]);

  const openFolders = React.useCallback(
    (folders: string[]) => {
      update(ready => ({
        ...ready,
        expanded: new Set([...ready.expanded, ...folders])
      }));
      const current = latest.current;
      if (current.kind === 'ready') {
        folders
          .filter(folder => !current.loaded.has(folder))
          .forEach(folder => void fetchFolder(folder, null));
      }
    },
    [fetchFolder, update]
  );

  const toggle = React.useCallback(
    (folder: string, open?: boolean) => {
      const current = latest.current;
      if (current.kind !== 'ready') {
        return;
      }
      if (open ?? !current.expanded.has(folder)) {
        openFolders([folder]);
      } else {
        update(ready => {
          const expanded = new Set(ready.expanded);
          expanded.delete(folder);
          return { ...ready, expanded };
        });
      }
    },
    [openFolders, update]
  );

  const loadMore = React.useCallback(
    (folder: string) => {
      const done = progress.current.get(folder);
      if (!done) {
        return;
      }
      wanted.current.set(
        folder,
        Math.max(wanted.current.get(folder) ?? 0, done.count + PAGE)
      );
      // A fetch on its way reads `wanted` before it ends.
      if (!running.current.has(folder) && done.next !== null) {
        void fetchFolder(folder, done);
      }
    },
    [fetchFolder]
  );

  const reveal = React.useCallback(
    (folder: string) => {
      const path: string[] = [];
      for (let f = folder; f !== ''; f = parentFolder(f)) {
        path.push(f);
      }
      openFolders(path);
    },
    [openFolders]
  );

  const collapseAll = React.useCallback(
    () => update(ready => ({ ...ready, expanded: new Set() })),
    [update]
  );

  return { state, toggle, loadMore, reveal, collapseAll };
}

/** How far a folder's scripts are loaded. */
interface IProgress {
  count: number;
  /** Cursor of the next page, null when all are loaded. */
  next: string | null;
}

function withFolder(
  ready: Extract<TreeState, { kind: 'ready' }>,
  folder: string,
  change: Partial<IFolderScripts>
): TreeState {
  const loaded = new Map(ready.loaded);
  loaded.set(folder, { ...(loaded.get(folder) ?? loadedFolder()), ...change });
  return { ...ready, loaded };
}
