// A tiny listener set for the stores of this folder: `subscribe` returns its own unsubscribe, and
// a listener that throws does not keep the others from hearing about the change.

export type Unsubscribe = () => void;

export class Listeners<A extends unknown[] = []> {
  private readonly set = new Set<(...args: A) => void>();

  add(listener: (...args: A) => void): Unsubscribe {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }

  get size(): number {
    return this.set.size;
  }

  emit(...args: A): void {
    // Array.from, not [...set]: the site's Babel build spreads in loose mode ([].concat(set)),
    // which would hand the Set itself to the loop.
    for (const listener of Array.from(this.set)) {
      try {
        listener(...args);
      } catch (err) {
        // A listener's bug is the page's; report it without breaking the store.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
