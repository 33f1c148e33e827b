/**
 * `GET me`: who the user is to ScriptForge.
 */
import { ApiConnection } from './request';

/** Who the user is to ScriptForge. */
export interface IMe {
  name: string;
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
