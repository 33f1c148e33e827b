/**
 * Versions: the immutable snapshots of a script, restore, labels, publishing.
 */
import { IErrorBody, ScriptForgeResponseError } from './errors';
import { ApiConnection, bodyOf, withQuery } from './request';
import { IScript } from './scripts';

/** A version (immutable snapshot) of a script, without its content. */
export interface IVersion {
  id: number;
  script_id: number;
  /** 1 for the first version of a script. */
  seq: number;
  sha256: string;
  size: number;
  parent_id: number | null;
  restored_from_id: number | null;
  author: string;
  created_at: string;
  message: string;
  labels: string[];
}

/** A version with its content. */
export interface IVersionContent extends IVersion {
  content: string;
}

/** What saving a version takes. */
export interface INewVersion {
  content: string;
  message?: string;
  /** The head this edit started from; a stale one is a 409. */
  base_version_id?: number | null;
}

/** What a publish answers. */
export interface IPublished {
  script: IScript;
  published: IVersion;
  previous_version_id: number | null;
}

/** The body of a 409 on publish: someone else published first. */
export interface IPublishConflict extends IErrorBody {
  published: IVersion | null;
  requested: IVersion;
}

/** The conflict body if `error` is a 409 on publish, else null. */
export function publishConflictOf(error: unknown): IPublishConflict | null {
  if (
    error instanceof ScriptForgeResponseError &&
    error.status === 409 &&
    typeof error.body.requested === 'object' &&
    error.body.requested !== null
  ) {
    return error.body as IPublishConflict;
  }
  return null;
}

export interface IVersionsClient {
  /** A script's history, newest first; `before` pages on to smaller seqs. */
  list(
    scriptId: number,
    query?: { limit?: number; before?: number }
  ): Promise<IVersion[]>;
  /** One version with its content. */
  get(id: number): Promise<IVersionContent>;
  /**
   * Record content as a new version; `created` is false (and `version` the head)
   * when the content equals the head's.
   */
  save(
    scriptId: number,
    version: INewVersion
  ): Promise<{ version: IVersion; created: boolean }>;
  /** A new head with an old version's content. */
  restore(scriptId: number, versionId: number): Promise<IVersion>;
  /**
   * Publish a version. `baseVersionId` is the published version the caller saw:
   * if someone published since, this throws a 409 (see `publishConflictOf`).
   */
  publish(
    scriptId: number,
    versionId: number,
    baseVersionId: number | null
  ): Promise<IPublished>;
  /** Label a version (a label names one version per script). */
  addLabel(versionId: number, label: string): Promise<IVersion>;
  /** Remove a label from a version. */
  removeLabel(versionId: number, label: string): Promise<IVersion>;
}

export class VersionsClient implements IVersionsClient {
  constructor(private readonly _api: ApiConnection) {}

  async list(
    scriptId: number,
    query: { limit?: number; before?: number } = {}
  ): Promise<IVersion[]> {
    const found = await this._api.request<{ items: IVersion[] }>(
      withQuery(`scripts/${scriptId}/versions`, { ...query })
    );
    return found.items;
  }

  get(id: number): Promise<IVersionContent> {
    return this._api.request<IVersionContent>(`versions/${id}`);
  }

  async save(
    scriptId: number,
    version: INewVersion
  ): Promise<{ version: IVersion; created: boolean }> {
    // Not through `request`: 201 and 200 mean different things.
    const response = await this._api.send(`scripts/${scriptId}/versions`, {
      method: 'POST',
      body: JSON.stringify(version)
    });
    const data = await bodyOf(response);
    return { version: data as IVersion, created: response.status === 201 };
  }

  restore(scriptId: number, versionId: number): Promise<IVersion> {
    return this._api.post<IVersion>(`scripts/${scriptId}/restore`, {
      version_id: versionId
    });
  }

  publish(
    scriptId: number,
    versionId: number,
    baseVersionId: number | null
  ): Promise<IPublished> {
    return this._api.post<IPublished>(`scripts/${scriptId}/publish`, {
      version_id: versionId,
      base_version_id: baseVersionId
    });
  }

  addLabel(versionId: number, label: string): Promise<IVersion> {
    return this._api.post<IVersion>(`versions/${versionId}/labels`, { label });
  }

  removeLabel(versionId: number, label: string): Promise<IVersion> {
    return this._api.request<IVersion>(
      `versions/${versionId}/labels/${encodeURIComponent(label)}`,
      { method: 'DELETE' }
    );
  }
}
