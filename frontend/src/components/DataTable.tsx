// A list as a table: the spinner while the first page loads, a short text
// when there is nothing, else a table with a caption for screen readers and
// one header cell per column. The caller renders the rows.
import type { ComponentChildren } from 'preact';
import { Loading } from './Loading';

/** A column header; `hidden` keeps it for screen readers only (actions). */
export type Column = string | { label: string; hidden: true };

export function DataTable({
  caption,
  columns,
  loading,
  count,
  empty,
  busy,
  children,
}: {
  caption: string;
  columns: Column[];
  loading: boolean;
  count: number;
  empty: string;
  /** Marks the rows busy while a later page loads. */
  busy?: boolean;
  children: ComponentChildren;
}) {
  if (loading && count === 0) return <Loading />;
  if (count === 0) return <p class="muted">{empty}</p>;
  return (
    <div class="table-wrap">
      <table class="data-table">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th scope="col" key={c}>
                  {c}
                </th>
              ) : (
                <th scope="col" key={c.label}>
                  <span class="sr-only">{c.label}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody aria-busy={busy ? 'true' : undefined}>{children}</tbody>
      </table>
    </div>
  );
}
