/**
 * The parameters of the scripts a group holds, for its editor: an item whose
 * script declares parameters takes their values (in the run form) instead of
 * free-form arguments.
 */
import * as React from 'react';

import {
  hasParameters,
  IScriptForgeClient,
  IScriptParameters
} from '../client';

/**
 * What the editor knows of a script's parameters: still asking, none (free-form
 * arguments), or those of the version its group runs (published, else newest).
 */
export type ItemParameters = 'loading' | IScriptParameters | null;

/** The parameters of each script among `scriptIds`, each asked for once. */
export function useItemParameters(
  client: IScriptForgeClient,
  scriptIds: number[]
): ReadonlyMap<number, ItemParameters> {
  const [found, setFound] = React.useState<ReadonlyMap<number, ItemParameters>>(
    () => new Map()
  );
  const asked = React.useRef(new Set<number>());
  const mounted = React.useRef(true);
  React.useEffect(
    () => () => {
      mounted.current = false;
    },
    []
  );
  const key = [...new Set(scriptIds)].sort((a, b) => a - b).join(',');

  React.useEffect(() => {
    const missing = [...new Set(scriptIds)].filter(
      id => !asked.current.has(id)
    );
    if (missing.length === 0) {
      return;
    }
    const record = (id: number, value: ItemParameters) => {
      if (mounted.current) {
        setFound(current => new Map(current).set(id, value));
      }
    };
    for (const id of missing) {
      asked.current.add(id);
      record(id, 'loading');
      parametersOfGroupVersion(client, id)
        .then(parameters => record(id, parameters))
        .catch(reason => {
          // The item keeps its free-form arguments.
          console.warn(
            `ScriptForge: cannot read the parameters of script ${id}`,
            reason
          );
          record(id, null);
        });
    }
    // key stands for scriptIds.
  }, [client, key]);

  return found;
}

/**
 * The parameters of the version a group runs of a script (its published
 * version, else its newest), or null when it declares none.
 */
async function parametersOfGroupVersion(
  client: IScriptForgeClient,
  scriptId: number
): Promise<IScriptParameters | null> {
  const script = await client.scripts.get(scriptId);
  if (script.head_version_id === null) {
    return null;
  }
  const found = await client.scripts.parameters(
    scriptId,
    script.published_version_id
  );
  return hasParameters(found) ? found : null;
}
