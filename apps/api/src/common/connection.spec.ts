import { connectionOf, decodeCursor, encodeCursor, pageSize } from './connection';

describe('connections and cursors', () => {
  it('a page of rows fetched with one extra: the extra only says there is a next page', () => {
    const rows = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const page = connectionOf(
      rows,
      2,
      (row) => [row.n],
      (row) => row.n * 10,
    );
    expect(page.edges.map((edge) => edge.node)).toEqual([10, 20]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([2]) });
    expect(
      connectionOf(
        rows.slice(0, 2),
        2,
        (row) => [row.n],
        (row) => row.n,
      ).pageInfo.hasNextPage,
    ).toBe(false);
    expect(
      connectionOf(
        [],
        2,
        () => [],
        () => 0,
      ).pageInfo,
    ).toEqual({ hasNextPage: false, endCursor: null });
  });

  it('a cursor reads back as its parts; anything else is BAD_USER_INPUT on after', () => {
    const isNumber = (parts: unknown[]): parts is [number] => Number.isInteger(parts[0]);
    expect(decodeCursor(encodeCursor([42]), isNumber)).toEqual([42]);
    for (const bad of ['', 'not-base64-json', encodeCursor(['x']), Buffer.from('{}').toString('base64url')]) {
      expect(() => decodeCursor(bad, isNumber)).toThrow(
        expect.objectContaining({
          code: 'BAD_USER_INPUT',
          problems: [expect.objectContaining({ path: 'after' })],
        }),
      );
    }
  });

  it('page sizes: the default when none is asked, never past 100', () => {
    expect([pageSize(null, 20), pageSize(5, 20), pageSize(500, 20)]).toEqual([20, 5, 100]);
  });
});
