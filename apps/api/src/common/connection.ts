import { BadInput } from '@app/domain';

/** The largest page any list serves (the GraphQL limits refuse `first` outside 1..100 before this). */
export const MAX_PAGE = 100;

/** What a list shows when the caller does not say `first`. */
export const DEFAULT_PAGE = 20;

/** A list's page size: the caller's `first`, or the list's default, never beyond MAX_PAGE. */
export const pageSize = (first: number | null | undefined, fallback = DEFAULT_PAGE) =>
  Math.min(Math.max(first ?? fallback, 1), MAX_PAGE);

/** A page's cost against the query limit: its size × what each row selects. */
export const pageComplexity =
  (fallback = DEFAULT_PAGE) =>
  ({ args, childComplexity }: { args: { first?: number | null }; childComplexity: number }): number =>
    pageSize(args.first, fallback) * childComplexity;

/** A cursor stands for the last row shown: its key parts as JSON, base64url, opaque to clients. */
export const encodeCursor = (parts: readonly unknown[]): string =>
  Buffer.from(JSON.stringify(parts)).toString('base64url');

/**
 * The key parts of a cursor this list gave out, or BAD_USER_INPUT on `after` (with `message`, when the
 * list can say more, e.g. that the cursor belongs to another sort order).
 */
export function decodeCursor<Parts extends unknown[]>(
  cursor: string,
  valid: (parts: unknown[]) => parts is Parts,
  message = '游标无效',
): Parts {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    parts = null;
  }
  if (!Array.isArray(parts) || !valid(parts))
    throw new BadInput([{ code: 'INVALID_VALUE', path: 'after', message }]);
  return parts;
}

export interface Page<Node> {
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A Relay connection from rows fetched with one row more than the page (that row only says there is a
 * next page): each row's node and the cursor of its key.
 */
export function connectionOf<Row, Node>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => readonly unknown[],
  nodeOf: (row: Row) => Node,
): Page<Node> {
  const edges = rows.slice(0, limit).map((row) => ({ cursor: encodeCursor(keyOf(row)), node: nodeOf(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}
