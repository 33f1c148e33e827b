/**
 * Names of what runs and groups refer to by id (scripts, groups, versions).
 *
 * A run or a group item only carries ids; tables show names. Views read a label
 * synchronously (undefined while it is on its way) and re-render when a label
 * arrives (`useLabels` in ui/).
 *
 * Script and group names can change (a rename, a saved group): they are kept for
 * `NAME_TTL_MS`, then fetched again the next time a view asks, the old name showing
 * meanwhile; `refresh()` (the Runs panel's Refresh) makes every name stale at once.
 * A version's number never changes, so it is kept for good. A failed fetch is not a
 * name: a missing script or group ("#id") is asked for again after the TTL, and a
 * transient failure (network, 5xx) after `RETRY_MS`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { statusOf } from './errors';
import { IGroupsClient } from './groups';
import { IScriptsClient } from './scripts';
import { IVersionsClient } from './versions';

/** How long a script or group name is trusted. */
export const NAME_TTL_MS = 60_000;
/** How soon a fetch that failed for a passing reason is tried again. */
export const RETRY_MS = 5_000;
/** The newest versions of a script fetched at once (without content) to number them. */
const VERSIONS_AT_ONCE = 100;

/** The names of scripts, groups and versions, by id, for the views that show them. */
export interface IResourceLabels {
  /** Emitted whenever labels arrive. */
  readonly changed: ISignal<IResourceLabels, void>;
  /** A script's name ("folder/name"), or undefined while it is fetched. */
  script(id: number | null): string | undefined;
  /** A group's name. */
  group(id: number | null): string | undefined;
  /**
   * A version as "vN"; given the script it belongs to, the numbers of that
   * script's newest versions come in one listing.
   */
  version(id: number | null, scriptId?: number | null): string | undefined;
  /** A group was changed here: its name is fetched again. */
  forgetGroup(id: number): void;
  /** Names may have changed elsewhere: fetch each again when it is next shown. */
  refresh(): void;
}

/** What the labels read of the client. */
export interface ILabelSources {
  readonly scripts: Pick<IScriptsClient, 'get'>;
  readonly groups: Pick<IGroupsClient, 'get'>;
  readonly versions: Pick<IVersionsClient, 'get' | 'list'>;
}

interface ILabel {
  /** What to show: undefined until a first answer. */
  name: string | undefined;
  /** When to fetch again (ms since the epoch); Infinity for good. */
  expires: number;
  /** A fetch is under way. */
  pending: boolean;
}

export class ResourceLabels implements IResourceLabels {
  constructor(private readonly _client: ILabelSources) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  script(id: number | null): string | undefined {
    if (id === null) {
      return undefined;
    }
    return this._get(this._scripts, id, NAME_TTL_MS, async () => {
      const script = await this._client.scripts.get(id);
      return script.folder ? `${script.folder}/${script.name}` : script.name;
    });
  }

  group(id: number | null): string | undefined {
    if (id === null) {
      return undefined;
    }
    return this._get(this._groups, id, NAME_TTL_MS, async () => {
      const group = await this._client.groups.get(id);
      return group.name;
    });
  }

  /**
   * A version as "vN". With the script it belongs to, the numbers of that script's
   * newest versions come in one listing (no content); a version not among them, or
   * one asked for without its script, is fetched alone.
   */
  version(
    id: number | null,
    scriptId: number | null = null
  ): string | undefined {
    if (id === null) {
      return undefined;
    }
    return this._get(this._versions, id, Infinity, async () => {
      if (scriptId !== null) {
        const seqs = await this._scriptVersions(scriptId);
        const seq = seqs.get(id);
        if (seq !== undefined) {
          return `v${seq}`;
        }
      }
      const version = await this._client.versions.get(id);
      return `v${version.seq}`;
    });
  }

  forgetGroup(id: number): void {
    const label = this._groups.get(id);
    if (label) {
      label.expires = 0;
    }
  }

  refresh(): void {
    for (const cache of [this._scripts, this._groups]) {
      for (const label of cache.values()) {
        label.expires = 0;
      }
    }
    this._changed.emit();
  }

  private _get(
    cache: Map<number, ILabel>,
    id: number,
    ttl: number,
    fetch: () => Promise<string>
  ): string | undefined {
    const known = cache.get(id);
    if (known && (known.pending || known.expires > Date.now())) {
      return known.name;
    }
    // Missing or stale: fetch it, and show the old name (if any) until it lands.
    const label: ILabel = {
      name: known?.name,
      expires: Infinity,
      pending: true
    };
    cache.set(id, label);
    fetch()
      .then(name => {
        label.name = name;
        label.expires = Date.now() + ttl;
      })
      .catch(reason => {
        if (isGone(reason)) {
          // Deleted or not ours: "#id" says at least which one it was.
          label.name = `#${id}`;
          label.expires = Date.now() + Math.min(ttl, NAME_TTL_MS);
        } else {
          // Passing trouble: keep what was shown and try again soon.
          label.expires = Date.now() + RETRY_MS;
        }
      })
      .finally(() => {
        label.pending = false;
        this._changed.emit();
      });
    return label.name;
  }

  /** Version id → seq for a script's newest versions; one listing per script at a time. */
  private _scriptVersions(scriptId: number): Promise<Map<number, number>> {
    let found = this._listings.get(scriptId);
    if (!found) {
      found = this._client.versions
        .list(scriptId, { limit: VERSIONS_AT_ONCE })
        .then(versions => {
          // Numbers never change: every version listed is labelled for good.
          for (const version of versions) {
            if (!this._versions.has(version.id)) {
              this._versions.set(version.id, {
                name: `v${version.seq}`,
                expires: Infinity,
                pending: false
              });
            }
          }
          return new Map(versions.map(v => [v.id, v.seq]));
        })
        .finally(() => this._listings.delete(scriptId));
      this._listings.set(scriptId, found);
    }
    return found;
  }

  private _scripts = new Map<number, ILabel>();
  private _groups = new Map<number, ILabel>();
  private _versions = new Map<number, ILabel>();
  /** Listings of a script's versions under way, shared by the versions asked meanwhile. */
  private _listings = new Map<number, Promise<Map<number, number>>>();
  private _changed = new Signal<this, void>(this);
}

/** Whether a failed fetch says the thing is not there (for this user). */
function isGone(reason: unknown): boolean {
  const status = statusOf(reason);
  return status === 403 || status === 404;
}
