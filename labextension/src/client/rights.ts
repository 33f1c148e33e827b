/**
 * What the user may do, asked of the server once (`GET me`), so the features
 * offer only that. The server checks every request regardless: this only keeps
 * a viewer from being shown buttons that would be refused.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { IUsersClient, Right } from './users';

/** The user's rights, as the features ask them. */
export interface IUserRights {
  /** The user's name; null until known. */
  readonly name: string | null;
  /**
   * Whether the user holds `right`. Until the server has answered, every right
   * is taken as held: nothing is hidden that the server would allow, and the
   * server refuses what it does not.
   */
  may(right: Right): boolean;
  /**
   * Whether the user may delete, share or give away a script owned by `owner`:
   * its owner (with the write right) or an admin.
   */
  governs(owner: string): boolean;
  /**
   * Whether the server said the user lacks a right: only then does anything
   * shown before its answer need hiding.
   */
  readonly limited: boolean;
  /** Emitted once the server has answered. */
  readonly changed: ISignal<IUserRights, void>;
  /** Resolves once the server has answered (or failed to). */
  readonly ready: Promise<void>;
}

const ALL_RIGHTS: Right[] = ['read', 'write', 'run', 'assistant', 'admin'];

export class UserRights implements IUserRights {
  constructor(users: IUsersClient) {
    this.ready = users.me().then(
      me => {
        this._name = me.name;
        this._rights = new Set(me.rights);
        this._changed.emit();
      },
      reason => {
        // Shown as allowed: the server's own answer to each request says why not.
        console.warn('ScriptForge: cannot ask who the user is', reason);
      }
    );
  }

  readonly ready: Promise<void>;

  get name(): string | null {
    return this._name;
  }

  get changed(): ISignal<IUserRights, void> {
    return this._changed;
  }

  may(right: Right): boolean {
    return this._rights === null || this._rights.has(right);
  }

  get limited(): boolean {
    return ALL_RIGHTS.some(right => !this.may(right));
  }

  governs(owner: string): boolean {
    if (this._rights === null) {
      return true;
    }
    return (
      this._rights.has('admin') ||
      (this._rights.has('write') && owner === this._name)
    );
  }

  private _name: string | null = null;
  private _rights: Set<Right> | null = null;
  private readonly _changed = new Signal<IUserRights, void>(this);
}
