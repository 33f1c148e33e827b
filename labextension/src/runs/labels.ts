/**
 * Names of what runs refer to by id (scripts, groups, versions), fetched once and kept.
 *
 * A run only carries ids; tables show names. Views read a label synchronously
 * (undefined while it is on its way) and re-render when a label arrives (`useLabels`).
 */
import * as React from 'react';

import { IGroup, requestAPI, ScriptForgeClient } from '../client';

/** A version as `GET versions/{id}` returns it; only what the panel shows. */
interface IVersionSummary {
  id: number;
  seq: number;
}

export class RunLabels {
  constructor(private readonly _client: ScriptForgeClient) {}

  /** Call `listener` whenever a label arrives; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  /** A script's name ("folder/name"), or undefined while it is fetched. */
  script(id: number | null): string | undefined {
    if (id === null) {
      return undefined;
    }
    return this._get(this._scripts, id, async () => {
      const script = await this._client.getScript(id);
      return script.folder ? `${script.folder}/${script.name}` : script.name;
    });
  }

  /** A group's name. */
  group(id: number | null): string | undefined {
    if (id === null) {
      return undefined;
    }
    return this._get(this._groups, id, async () => {
      const group = await requestAPI<IGroup>(`groups/${id}`);
      return group.name;
    });
  }

  /** A version as "vN". */
  version(id: number | null): string | undefined {
    if (id === null) {
      return undefined;
    }
    return this._get(this._versions, id, async () => {
      const version = await requestAPI<IVersionSummary>(`versions/${id}`);
      return `v${version.seq}`;
    });
  }

  /** Names that may have changed (a renamed script, a saved group) are fetched again. */
  forgetGroup(id: number): void {
    this._groups.delete(id);
  }

  private _get(
    cache: Map<number, string | null>,
    id: number,
    fetch: () => Promise<string>
  ): string | undefined {
    if (cache.has(id)) {
      return cache.get(id) ?? undefined;
    }
    cache.set(id, null);
    fetch()
      .then(name => cache.set(id, name))
      // Deleted or not ours: "#id" says at least which one it was.
      .catch(() => cache.set(id, `#${id}`))
      .finally(() => this._listeners.forEach(listener => listener()));
    return undefined;
  }

  private _scripts = new Map<number, string | null>();
  private _groups = new Map<number, string | null>();
  private _versions = new Map<number, string | null>();
  private _listeners = new Set<() => void>();
}

/** Re-render the calling component whenever a label arrives. */
export function useLabels(labels: RunLabels): void {
  const [, setTick] = React.useState(0);
  React.useEffect(
    () => labels.subscribe(() => setTick(tick => tick + 1)),
    [labels]
  );
}
