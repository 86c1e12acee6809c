/**
 * A place in the global log ($all). EventStoreDB identifies it by commit and prepare positions; the
 * embedded store uses its row number for both. Ordered by commit, then prepare.
 */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** "commit/prepare", for checkpoints kept in text columns and for logs. */
export function positionToString(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

export function positionFromString(text: string): Position {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new Error(`not a position: ${text}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

export function isAtOrAfter(position: Position, target: Position): boolean {
  return comparePositions(position, target) >= 0;
}
