/**
 * The catalog as a folder tree, flattened into the rows a virtualized list shows.
 *
 * Pure functions: the view keeps the state (folder counts, loaded scripts,
 * expanded folders) and asks for the rows to draw.
 */
import { IFolderCount, IScript } from '../client';

/** The scripts loaded so far for one folder (scripts directly in it). */
export interface IFolderScripts {
  scripts: IScript[];
  /** Cursor of the next page, null when all are loaded. */
  next: string | null;
  loading: boolean;
  error: string | null;
}

/** One row of the tree. */
export type TreeRow =
  | {
      kind: 'folder';
      path: string;
      name: string;
      depth: number;
      /** Scripts in the folder and all folders below it. */
      count: number;
      expanded: boolean;
    }
  | { kind: 'script'; script: IScript; depth: number }
  | { kind: 'more'; folder: string; depth: number; loading: boolean }
  | {
      kind: 'note';
      folder: string;
      text: string;
      depth: number;
      error: boolean;
    };

/** A folder of the tree with its subfolders. */
interface IFolderNode {
  path: string;
  name: string;
  count: number;
  children: Map<string, IFolderNode>;
}

/** The parent of "a/b/c" is "a/b"; of "a", the top "". */
export function parentFolder(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Every folder of the counts, with the folders above them that hold no script themselves. */
export function allFolders(folders: IFolderCount[]): string[] {
  const paths = new Set<string>();
  for (const { folder } of folders) {
    for (let path = folder; path !== ''; path = parentFolder(path)) {
      paths.add(path);
    }
  }
  return [...paths].sort();
}

function folderTree(folders: IFolderCount[]): IFolderNode {
  const root: IFolderNode = {
    path: '',
    name: '',
    count: 0,
    children: new Map()
  };
  for (const { folder, scripts } of folders) {
    root.count += scripts;
    let node = root;
    for (const part of folder ? folder.split('/') : []) {
      const path = node.path ? `${node.path}/${part}` : part;
      let child = node.children.get(part);
      if (child === undefined) {
        child = { path, name: part, count: 0, children: new Map() };
        node.children.set(part, child);
      }
      child.count += scripts;
      node = child;
    }
  }
  return root;
}

/**
 * The visible rows: subfolders first (by name), then the folder's scripts, with
 * a "more" row where a folder has further pages and a note while one loads.
 *
 * @param expanded - folders whose content shows; the top always does
 */
export function treeRows(
  folders: IFolderCount[],
  loaded: ReadonlyMap<string, IFolderScripts>,
  expanded: ReadonlySet<string>,
  loadingText: string
): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (node: IFolderNode, depth: number) => {
    const children = [...node.children.values()].sort((a, b) =>
      a.name.localeCompare(b.name)
    );
    for (const child of children) {
      const open = expanded.has(child.path);
      rows.push({
        kind: 'folder',
        path: child.path,
        name: child.name,
        depth,
        count: child.count,
        expanded: open
      });
      if (open) {
        visit(child, depth + 1);
      }
    }
    const content = loaded.get(node.path);
    if (content === undefined) {
      rows.push({
        kind: 'note',
        folder: node.path,
        text: loadingText,
        depth,
        error: false
      });
      return;
    }
    for (const script of content.scripts) {
      rows.push({ kind: 'script', script, depth });
    }
    if (content.error !== null) {
      rows.push({
        kind: 'note',
        folder: node.path,
        text: content.error,
        depth,
        error: true
      });
    } else if (content.next !== null || content.loading) {
      rows.push({
        kind: 'more',
        folder: node.path,
        depth,
        loading: content.loading
      });
    }
  };
  const root = folderTree(folders);
  if (root.count > 0) {
    visit(root, 0);
  }
  return rows;
}

/** An entry for a folder whose scripts are all loaded. */
export function loadedFolder(scripts: IScript[] = []): IFolderScripts {
  return { scripts, next: null, loading: false, error: null };
}

/** Group the whole catalog by folder; every folder (and the top) gets an entry. */
export function byFolder(
  scripts: IScript[],
  folders: string[]
): Map<string, IFolderScripts> {
  const grouped = new Map<string, IFolderScripts>(
    ['', ...folders].map(path => [path, loadedFolder()])
  );
  for (const script of scripts) {
    let entry = grouped.get(script.folder);
    if (entry === undefined) {
      entry = loadedFolder();
      grouped.set(script.folder, entry);
    }
    entry.scripts.push(script);
  }
  return grouped;
}
