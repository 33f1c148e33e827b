/**
 * Artifacts: the files a run left in its output folder (`$SCRIPTFORGE_OUTPUT`),
 * kept with the run for the server's retention time.
 */
import { ApiConnection, withQuery } from './request';

/** One kept file; `path` is relative, with `/` between folders. */
export interface IArtifact {
  path: string;
  size: number;
  modified: string;
}

export interface IArtifacts {
  artifacts: IArtifact[];
  /** Their size together. */
  bytes: number;
}

export interface IArtifactsClient {
  /** The files a run kept (none once they expired). */
  list(runId: number): Promise<IArtifacts>;
  /** One kept file's bytes. */
  download(runId: number, path: string): Promise<Blob>;
}

export class ArtifactsClient implements IArtifactsClient {
  constructor(private readonly _api: ApiConnection) {}

  list(runId: number): Promise<IArtifacts> {
    return this._api.request<IArtifacts>(`runs/${runId}/artifacts`);
  }

  async download(runId: number, path: string): Promise<Blob> {
    const response = await this._api.send(
      withQuery(`runs/${runId}/artifact`, { path })
    );
    return response.blob();
  }
}
