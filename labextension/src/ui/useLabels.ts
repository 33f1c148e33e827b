/**
 * Views that show names by id (ui of the `IResourceLabels` token).
 */
import * as React from 'react';

import { IResourceLabels } from '../tokens';

/** Re-render the calling component whenever a label arrives. */
export function useLabels(labels: IResourceLabels): void {
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    const changed = () => setTick(tick => tick + 1);
    labels.changed.connect(changed);
    return () => {
      labels.changed.disconnect(changed);
    };
  }, [labels]);
}
