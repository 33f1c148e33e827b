/**
 * "These changed": one per feature, handed to the views that change or show
 * its resources, so a list follows what the commands and editors do without
 * being refreshed by hand.
 */
export class Changes {
  /** Tell every listener to fetch again. */
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
