/**
 * The catalog: scripts, their folders and tags.
 */
import { IDependencyQuery, IDependencyState } from './dependencies';
import { IScriptParameters } from './parameters';
import { ApiConnection, withQuery } from './request';

/** A script of the catalog. */
export interface IScript {
  id: number;
  name: string;
  folder: string;
  /** The working copy, relative to the server root: the file to open. */
  path: string;
  description: string;
  tags: string[];
  interpreter: string | null;
  owner: string;
  visibility: 'private' | 'team';
  head_version_id: number | null;
  published_version_id: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One page of the catalog. */
export interface IScriptPage {
  items: IScript[];
  next_cursor: string | null;
}

/** Filters of the catalog listing. */
export interface IScriptQuery {
  q?: string;
  folder?: string;
  tag?: string;
  owner?: string;
  limit?: number;
  cursor?: string | null;
}

/** A folder of the catalog and how many scripts (this user may see) are directly in it. */
export interface IFolderCount {
  folder: string;
  scripts: number;
}

/** A tag and how many scripts (this user may see) carry it. */
export interface ITagCount {
  tag: string;
  scripts: number;
}

/** What a new script needs; only the name is required. */
export interface INewScript {
  name: string;
  folder?: string;
  description?: string;
  tags?: string[];
  interpreter?: string | null;
  visibility?: 'private' | 'team';
  content?: string;
}

/** What changing a script takes; `{deleted: false}` restores a deleted script. */
export type IScriptChanges = Partial<Omit<INewScript, 'content'>> & {
  deleted?: false;
};

export interface IScriptsClient {
  /** One page of the scripts this user may see. */
  list(query?: IScriptQuery): Promise<IScriptPage>;
  /** Every folder holding scripts this user may see, with its count; "" is the top. */
  folders(): Promise<IFolderCount[]>;
  /** Every tag on scripts this user may see, with its count. */
  tags(): Promise<ITagCount[]>;
  /**
   * The script whose working copy is the file at `path` (as JupyterLab names it,
   * relative to the server root), or null when the file is not a script.
   */
  atPath(path: string): Promise<IScript | null>;
  /** Create a script; its working copy is written on the server. */
  create(script: INewScript): Promise<IScript>;
  /** One script, deleted ones included. */
  get(id: number): Promise<IScript>;
  /** Rename, move, describe, tag, share; `{deleted: false}` restores a deleted script. */
  update(id: number, changes: IScriptChanges): Promise<IScript>;
  /** Soft delete: the history stays, and `update(id, {deleted: false})` undoes it. */
  delete(id: number): Promise<IScript>;
  /** Ready a script's working copy for the editor; open the returned `path`. */
  open(id: number): Promise<IScript>;
  /**
   * The parameters of a version of the script (its head if `versionId` is
   * omitted), or of the user's working copy as saved now (`'working_copy'`),
   * read from its code; `schema` is null when it declares none.
   */
  parameters(
    id: number,
    versionId?: number | null | 'working_copy'
  ): Promise<IScriptParameters>;
  /**
   * What a version of the script declares it needs (PEP 723) and where its
   * environment stands for an interpreter; by default the head version and the
   * script's interpreter.
   */
  dependencies(id: number, query?: IDependencyQuery): Promise<IDependencyState>;
  /**
   * Start resolving and installing those dependencies in the background (the
   * run right; nothing is done when they are ready) → the state then. A
   * `# /// script` block that is not valid TOML is a 400.
   */
  prepareDependencies(
    id: number,
    query?: IDependencyQuery
  ): Promise<IDependencyState>;
  /**
   * Resolve them afresh: the head's content becomes a new version (the write
   * and run rights), whose pins take newer releases; older versions keep
   * theirs → the new version's state.
   */
  resolveDependenciesAgain(
    id: number,
    query?: Pick<IDependencyQuery, 'interpreter'>
  ): Promise<IDependencyState>;
}

export class ScriptsClient implements IScriptsClient {
  constructor(private readonly _api: ApiConnection) {}

  list(query: IScriptQuery = {}): Promise<IScriptPage> {
    return this._api.request<IScriptPage>(withQuery('scripts', { ...query }));
  }

  async folders(): Promise<IFolderCount[]> {
    const found = await this._api.request<{ folders: IFolderCount[] }>(
      'folders'
    );
    return found.folders;
  }

  async tags(): Promise<ITagCount[]> {
    const found = await this._api.request<{ tags: ITagCount[] }>('tags');
    return found.tags;
  }

  async atPath(path: string): Promise<IScript | null> {
    const page = await this._api.request<IScriptPage>(
      withQuery('scripts', { path, limit: 1 })
    );
    return page.items[0] ?? null;
  }

  create(script: INewScript): Promise<IScript> {
    return this._api.post<IScript>('scripts', script);
  }

  get(id: number): Promise<IScript> {
    return this._api.request<IScript>(`scripts/${id}`);
  }

  update(id: number, changes: IScriptChanges): Promise<IScript> {
    return this._api.request<IScript>(`scripts/${id}`, {
      method: 'PATCH',
      body: JSON.stringify(changes)
    });
  }

  delete(id: number): Promise<IScript> {
    return this._api.request<IScript>(`scripts/${id}`, { method: 'DELETE' });
  }

  open(id: number): Promise<IScript> {
    return this._api.post<IScript>(`scripts/${id}/open`, {});
  }

  parameters(
    id: number,
    versionId?: number | null | 'working_copy'
  ): Promise<IScriptParameters> {
    const query =
      versionId === 'working_copy'
        ? { source: versionId }
        : { version: versionId };
    return this._api.request<IScriptParameters>(
      withQuery(`scripts/${id}/parameters`, query)
    );
  }

  dependencies(
    id: number,
    query: IDependencyQuery = {}
  ): Promise<IDependencyState> {
    return this._api.request<IDependencyState>(dependenciesPath(id, query));
  }

  prepareDependencies(
    id: number,
    query: IDependencyQuery = {}
  ): Promise<IDependencyState> {
    return this._api.request<IDependencyState>(dependenciesPath(id, query), {
      method: 'POST'
    });
  }

  resolveDependenciesAgain(
    id: number,
    query: Pick<IDependencyQuery, 'interpreter'> = {}
  ): Promise<IDependencyState> {
    const path = withQuery(`scripts/${id}/dependencies/resolve`, {
      interpreter: query.interpreter
    });
    return this._api.request<IDependencyState>(path, { method: 'POST' });
  }
}

function dependenciesPath(id: number, query: IDependencyQuery): string {
  return withQuery(`scripts/${id}/dependencies`, {
    version: query.versionId,
    interpreter: query.interpreter
  });
}
