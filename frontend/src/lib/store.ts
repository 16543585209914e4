// A minimal observable value and the hook that re-renders a component when it changes.
import { useEffect, useReducer } from 'preact/hooks';

export interface Store<T> {
  get(): T;
  set(value: T): void;
  update(fn: (value: T) => T): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  const set = (next: T) => {
    if (Object.is(next, value)) return;
    value = next;
    for (const l of [...listeners]) l();
  };
  return {
    get: () => value,
    set,
    update: (fn) => set(fn(value)),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  const [, force] = useReducer((n: number) => n + 1, 0);
  const rendered = store.get();
  useEffect(() => {
    const unsubscribe = store.subscribe(() => force(0));
    // Effects run after paint: the value may have changed since this render.
    if (!Object.is(rendered, store.get())) force(0);
    return unsubscribe;
  }, [store]);
  return rendered;
}
