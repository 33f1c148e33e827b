/**
 * "The groups changed", so the Groups list in the sidebar and the open group
 * editors follow what the editors and the commands do without being refreshed
 * by hand. One per plugin, handed to the views that change or show groups.
 */
export class GroupChanges {
  /** Tell every listener to fetch the groups again. */
  emit(): void {
    this._listeners.forEach(listener => listener());
  }

  /** Call `listener` on every change; returns the unsubscribe. */
  listen(listener: () => void): () => void {
    this._listeners.add(listener);
    return () => {
      this._listeners.delete(listener);
    };
  }

  private readonly _listeners = new Set<() => void>();
}
