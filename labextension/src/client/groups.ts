/**
 * Groups: named lists of scripts that run together.
 */
import { ParameterValues } from './parameters';
import { ApiConnection } from './request';

/**
 * One item of a group: a script with optional arguments (free-form `args`, or
 * the values of its `parameters`), interpreter and timeout.
 */
export interface IGroupItem {
  script_id: number;
  args?: string[];
  /** Values of the script's parameters, instead of `args`; null or absent: none. */
  parameters?: ParameterValues | null;
  interpreter?: string | null;
  timeout_seconds?: number | null;
}

/** A named list of scripts that run together. */
export interface IGroup {
  id: number;
  name: string;
  owner: string;
  mode: 'sequential' | 'parallel';
  max_concurrency: number;
  stop_on_failure: boolean;
  item_timeout_seconds: number | null;
  items: IGroupItem[];
  created_at: string;
  updated_at: string;
}

/** What creating or changing a group takes; `items`, when given, replace all items. */
export type IGroupInput = Partial<
  Omit<IGroup, 'id' | 'owner' | 'created_at' | 'updated_at'>
>;

export interface IGroupsClient {
  /** This user's groups. */
  list(): Promise<IGroup[]>;
  /** One group with its items. */
  get(id: number): Promise<IGroup>;
  /** Create a group; it needs a name. */
  create(group: IGroupInput & { name: string }): Promise<IGroup>;
  /** Change a group. */
  update(id: number, changes: IGroupInput): Promise<IGroup>;
  /** Delete a group; its runs stay in the history. */
  delete(id: number): Promise<void>;
}

export class GroupsClient implements IGroupsClient {
  constructor(private readonly _api: ApiConnection) {}

  async list(): Promise<IGroup[]> {
    const found = await this._api.request<{ groups: IGroup[] }>('groups');
    return found.groups;
  }

  get(id: number): Promise<IGroup> {
    return this._api.request<IGroup>(`groups/${id}`);
  }

  create(group: IGroupInput & { name: string }): Promise<IGroup> {
    return this._api.post<IGroup>('groups', group);
  }

  update(id: number, changes: IGroupInput): Promise<IGroup> {
    return this._api.request<IGroup>(`groups/${id}`, {
      method: 'PATCH',
      body: JSON.stringify(changes)
    });
  }

  async delete(id: number): Promise<void> {
    await this._api.request<unknown>(`groups/${id}`, { method: 'DELETE' });
  }
}
