// A keyset-paginated list: the current page, "next page" with the API's
// opaque cursor and "previous page" from the cursors already seen.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from '../api/types';
import { problemToFormErrors } from '../forms/errors';

export interface Paged<T> {
  items: T[];
  loading: boolean;
  errors: string[];
  pageNumber: number;
  hasNext: boolean;
  hasPrevious: boolean;
  next: () => void;
  previous: () => void;
  reload: () => void;
}

/** `key` changes (a new search, other filters) start again at page 1. */
export function usePaged<T>(load: (cursor: string | null) => Promise<Page<T>>, key: string): Paged<T> {
  const [nav, setNav] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const [page, setPage] = useState<Page<T> | null>(null);
  const [loading, setLoading] = useState(true);
  const [errors, setErrors] = useState<string[]>([]);
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  // A new key means page 1 at once, without loading the old page first.
  const cursors = nav.key === key ? nav.cursors : [null];
  const setCursors = (c: (string | null)[]) => setNav({ key, cursors: c });
  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => {
    if (nav.key !== key) setNav({ key, cursors: [null] });
    let live = true;
    setLoading(true);
    loader
      .current(cursor)
      .then((p) => {
        if (!live) return;
        setPage(p);
        setErrors([]);
      })
      .catch((e) => {
        if (live) setErrors(problemToFormErrors(e).general);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [key, cursors.length, cursor, tick]);

  return {
    items: page?.items ?? [],
    loading,
    errors,
    pageNumber: cursors.length,
    hasNext: !!page?.next_cursor,
    hasPrevious: cursors.length > 1,
    next: () => {
      if (page?.next_cursor) setCursors([...cursors, page.next_cursor]);
    },
    previous: () => {
      if (cursors.length > 1) setCursors(cursors.slice(0, -1));
    },
    reload: () => setTick((n) => n + 1),
  };
}
