/**
 * `GET interpreters`: the Python interpreters scripts can run on.
 */
import { ApiConnection } from './request';

/** A Python interpreter the server found. */
export interface IInterpreterInfo {
  name: string;
  implementation: string;
  version: string;
  /** Its executable, for the local runner. */
  path: string | null;
  /** The Docker image that holds it, for the Docker runner. */
  image: string | null;
}

export interface IInterpretersClient {
  /** The interpreters scripts can run on; `refresh` looks for them again. */
  list(refresh?: boolean): Promise<IInterpreterInfo[]>;
}

export class InterpretersClient implements IInterpretersClient {
  constructor(private readonly _api: ApiConnection) {}

  async list(refresh = false): Promise<IInterpreterInfo[]> {
    const found = await this._api.request<{
      interpreters: IInterpreterInfo[];
    }>(refresh ? 'interpreters?refresh=true' : 'interpreters');
    return found.interpreters;
  }
}
