/**
 * `GET me`: who the user is to ScriptForge.
 */
import { ApiConnection } from './request';

/**
 * A ScriptForge right: under JupyterHub the scope `custom:scriptforge:<right>`.
 * `write` changes scripts, `run` starts runs, `assistant` asks the model, and
 * `admin` overrides guardrail holds and reads the audit log.
 */
export type Right = 'read' | 'write' | 'run' | 'assistant' | 'admin';

/** Who the user is to ScriptForge. */
export interface IMe {
  name: string;
  /** What this user may do (the server checks every request regardless). */
  rights: Right[];
  /** May override the guardrails and read the audit log. */
  admin: boolean;
}

export interface IUsersClient {
  /** Who the user is, to offer only what they may do. */
  me(): Promise<IMe>;
}

export class UsersClient implements IUsersClient {
  constructor(private readonly _api: ApiConnection) {}

  me(): Promise<IMe> {
    return this._api.request<IMe>('me');
  }
}
