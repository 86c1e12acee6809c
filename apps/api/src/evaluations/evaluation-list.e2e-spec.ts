import type { Actor } from '@app/domain';
import { DISTRICT, actors, codeOf, exampleDocument } from '../testing/graphql-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';

const PAGE = `query($sort: EvaluationSort, $first: Int, $after: String) {
  evaluations(filter: { districtCode: "wangcheng", year: 2021 }, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id version score { finalTotal } } } } }`;

const clerkOf = (code: string): Actor => ({ id: `clerk-${code}`, role: 'DEPARTMENT', department: code });

/**
 * A district's list paged through while departments keep editing: each page continues after the last
 * row shown (its sort value and id), so a form that moves cannot push another into a repeat or a gap.
 */
describe('evaluations list: sorting and paging', () => {
  let api: TestApp;
  const codes = ['list-a', 'list-b', 'list-c', 'list-d', 'list-e', 'list-f', 'list-g'];

  beforeAll(async () => {
    api = await startTestApp();
    await api.gql(
      'mutation($i: RegisterDistrictInput!) { registerDistrict(input: $i) { code } }',
      { i: DISTRICT },
      actors.admin,
    );
    for (const [i, code] of codes.entries()) {
      await api.gql(
        'mutation($i: RegisterDepartmentInput!) { registerDepartment(input: $i) { code } }',
        { i: { code, name: `部门${i}`, districtCode: DISTRICT.code } },
        actors.admin,
      );
      if (i === codes.length - 1) {
        // An empty form: no budget, so no total (sorted after every scored form).
        const created = await api.gql(
          'mutation($i: CreateEvaluationInput!) { createEvaluation(input: $i) { id } }',
          { i: { departmentCode: code, year: 2021 } },
          clerkOf(code),
        );
        expect(created.body.errors).toBeUndefined();
        continue;
      }
      const document = exampleDocument();
      delete document.declared;
      document.department = { code, name: `部门${i}` };
      // Totals 93.35, 94.35, 95.35, 93.35, …: ties too, broken by id.
      document.indicators[0].score = String(i % 3);
      const imported = await api.gql(
        'mutation($d: JSON!) { importEvaluation(document: $d) { id } }',
        { d: document },
        clerkOf(code),
      );
      expect(imported.body.errors).toBeUndefined();
    }
  }, 60_000);

  afterAll(() => api?.close());

  const page = async (sort: string, first: number, after: string | null = null) => {
    const answer = await api.gql(PAGE, { sort, first, after }, actors.supervisor).expect(200);
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data.evaluations;
  };
  const everything = async (sort: string) =>
    (await page(sort, 100)).edges.map((e: any) => [e.node.id, e.node.score.finalTotal]);

  it('sorts by total, highest first, unscored last, ties by id; and the other way round', async () => {
    const rows = await everything('TOTAL_DESC');
    const expected = [...rows].sort(
      ([idA, a], [idB, b]) =>
        (a === null ? 1 : 0) - (b === null ? 1 : 0) ||
        (a !== null && b !== null ? Number(b) * 100 - Number(a) * 100 : 0) ||
        (idA < idB ? -1 : 1),
    );
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(codes.length);
    expect(rows[rows.length - 1][1]).toBeNull();
    expect(new Set(rows.map((r: any) => r[1])).size).toBeLessThan(rows.length - 1);
    const ascending = await everything('TOTAL_ASC');
    expect(ascending.map((r: any) => r[1])).toEqual([
      ...rows
        .filter((r: any) => r[1] !== null)
        .map((r: any) => r[1])
        .reverse(),
      null,
    ]);
  });

  it.each(['TOTAL_DESC', 'TOTAL_ASC', 'DEPARTMENT', 'EXECUTION_RATE_DESC', 'UPDATED_DESC'])(
    '%s: pages of 2 give the whole list once, in order',
    async (sort) => {
      const whole = (await everything(sort)).map((r: any) => r[0]);
      const paged: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { edges, pageInfo, totalCount } = await page(sort, 2, after);
        expect(totalCount).toBe(codes.length);
        paged.push(...edges.map((e: any) => e.node.id));
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
      expect(paged).toEqual(whole);
    },
  );

  it('a form edited between two pages moves; the others are neither repeated nor skipped', async () => {
    const before = (await everything('TOTAL_DESC')).map((r: any) => r[0]);
    const first = await page('TOTAL_DESC', 2);
    expect(first.edges.map((e: any) => e.node.id)).toEqual(before.slice(0, 2));

    // The top form loses its highest indicator score: it drops to the bottom of the scored forms.
    const top = first.edges[0].node;
    const code = top.id.split('.')[0];
    const lowered = await api.gql(
      'mutation($id: ID!, $v: Int!) { updateIndicator(id: $id, expectedVersion: $v, rowId: "r2", input: { score: "0" }) { score { finalTotal } } }',
      { id: top.id, v: top.version },
      clerkOf(code),
    );
    expect(lowered.body.errors).toBeUndefined();
    const after = (await everything('TOTAL_DESC')).map((r: any) => r[0]);
    expect(after.indexOf(top.id)).toBeGreaterThan(2);

    const rest: string[] = [];
    let cursor: string | null = first.pageInfo.endCursor;
    for (;;) {
      const next = await page('TOTAL_DESC', 2, cursor);
      rest.push(...next.edges.map((e: any) => e.node.id));
      if (!next.pageInfo.hasNextPage) break;
      cursor = next.pageInfo.endCursor;
    }
    // Offsets would have skipped the form that moved up into the second place.
    expect(rest).toEqual(after.slice(after.indexOf(before[1]) + 1));
    expect(new Set([...before.slice(0, 2), ...rest])).toEqual(new Set(before));
  });

  it('refuses a cursor that is not one, or one from another sort order', async () => {
    const byTotal = await page('TOTAL_DESC', 1);
    for (const [sort, after] of [
      ['DEPARTMENT', byTotal.pageInfo.endCursor],
      ['TOTAL_DESC', 'not-a-cursor'],
      ['TOTAL_DESC', Buffer.from('["TOTAL_DESC","9335","x"]').toString('base64url')],
    ]) {
      const answer = await api.gql(PAGE, { sort, first: 2, after }, actors.supervisor).expect(200);
      expect(codeOf(answer.body)).toBe('BAD_USER_INPUT');
      expect(answer.body.errors[0].extensions.problems).toEqual([expect.objectContaining({ path: 'after' })]);
    }
  });
});
