import { startTestApp, type TestApp } from '../testing/test-app';
import { EVALUATION_ID, actors, codeOf, seedExample } from '../testing/graphql-fixtures';

/**
 * The single funding-line mutations over HTTP, on the example form (one line f1: 财政拨款, A 1081.19,
 * B 902.42, C 0 万元, weight 10; 83.47%, 8.35, indicators 90.00). The expected figures are computed here
 * from hundredths of 万元 as integers, never with binary floats nor with the code under test.
 */

/** x / y rounded half up, for x ≥ 0 and y > 0. */
const halfUp = (x: bigint, y: bigint) => (2n * x + y) / (2n * y);
/** hundredths as a decimal string with 2 places */
const twoPlaces = (h: bigint) => `${h / 100n}.${String(h % 100n).padStart(2, '0')}`;

/** What docs/scoring.md says the funding block gives: (ΣB − ΣC) / ΣA, weight × rate capped, total. */
function expectedScore(lines: Array<{ budget: bigint; executed: bigint; upperTransfer: bigint }>) {
  const a = lines.reduce((sum, l) => sum + l.budget, 0n);
  const net = lines.reduce((sum, l) => sum + l.executed - l.upperTransfer, 0n);
  const weight = 10n;
  // rate in hundredths of a percent: net / a × 100 × 100
  const ratePercent = twoPlaces(halfUp(net * 10_000n, a));
  // score in hundredths, from the unrounded rate: weight × net / a × 100, within [0, weight]
  let score = halfUp(weight * net * 100n, a);
  if (score > weight * 100n) score = weight * 100n;
  const indicatorTotal = 9_000n;
  return {
    executionRatePercent: ratePercent,
    fundingScore: twoPlaces(score),
    total: twoPlaces(score + indicatorTotal),
  };
}

const F1 = { budget: 108_119n, executed: 90_242n, upperTransfer: 0n };

const FORM = `version funding { lines { id source budget executed upperTransfer initialBudget executionRatePercent } } score { executionRatePercent fundingScore total }`;

describe('funding lines, one at a time (addFundingLine, changeFundingLine, removeFundingLine)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  const mutate = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await api.gql(query, variables, actors.clerk).expect(200);
    return response.body;
  };
  const ok = async (query: string, variables: Record<string, unknown> = {}) => {
    const body = await mutate(query, variables);
    expect(body.errors).toBeUndefined();
    return Object.values(body.data)[0] as any;
  };
  const versionNow = async () =>
    (await api.gql(`{ evaluation(id: "${EVALUATION_ID}") { version } }`, {}, actors.clerk)).body.data
      .evaluation.version as number;

  const ADD = `mutation($v: Int!, $i: FundingLineInput!, $at: Int) { addFundingLine(id: "${EVALUATION_ID}", expectedVersion: $v, input: $i, index: $at) { ${FORM} } }`;
  const CHANGE = `mutation($v: Int!, $line: ID!, $i: FundingLineChangesInput!) { changeFundingLine(id: "${EVALUATION_ID}", expectedVersion: $v, lineId: $line, input: $i) { ${FORM} } }`;
  const REMOVE = `mutation($v: Int!, $line: ID!) { removeFundingLine(id: "${EVALUATION_ID}", expectedVersion: $v, lineId: $line) { ${FORM} } }`;

  it('the example form scores as printed before any edit (the figures below start here)', async () => {
    const form = (await api.gql(`{ evaluation(id: "${EVALUATION_ID}") { ${FORM} } }`, {}, actors.clerk)).body
      .data.evaluation;
    expect(form.score).toEqual(expectedScore([F1]));
    expect(form.score).toEqual({ executionRatePercent: '83.47', fundingScore: '8.35', total: '98.35' });
    expect(form.funding.lines.map((l: any) => l.id)).toEqual(['f1']);
  });

  it('add a line, change only its executed amount, remove it: the rate and funding score follow, ids stay', async () => {
    const added = await ok(ADD, {
      v: 1,
      i: { source: '其他资金', budget: '100', executed: '50', upperTransfer: '10' },
      at: 0,
    });
    const f2 = { budget: 10_000n, executed: 5_000n, upperTransfer: 1_000n };
    expect(added.version).toBe(2);
    expect(added.funding.lines).toEqual([
      {
        id: 'f2',
        source: '其他资金',
        budget: '100',
        executed: '50',
        upperTransfer: '10',
        initialBudget: null,
        executionRatePercent: '40.00', // (50 − 10) / 100
      },
      {
        id: 'f1',
        source: '财政拨款',
        budget: '1081.19',
        executed: '902.42',
        upperTransfer: '0',
        initialBudget: null,
        executionRatePercent: '83.47', // 902.42 / 1081.19 = 83.466…%
      },
    ]);
    // (902.42 + 50 − 10) / 1181.19 = 79.785…%
    expect(added.score).toEqual(expectedScore([F1, f2]));
    expect(added.score).toEqual({ executionRatePercent: '79.79', fundingScore: '7.98', total: '97.98' });

    const changed = await ok(CHANGE, { v: 2, line: 'f2', i: { executed: '80.5' } });
    expect(changed.version).toBe(3);
    expect(changed.funding.lines).toEqual([
      { ...added.funding.lines[0], executed: '80.5', executionRatePercent: '70.50' },
      added.funding.lines[1],
    ]);
    // (902.42 + 80.5 − 10) / 1181.19 = 82.367…%
    expect(changed.score).toEqual(expectedScore([F1, { ...f2, executed: 8_050n }]));
    expect(changed.score).toEqual({ executionRatePercent: '82.37', fundingScore: '8.24', total: '98.24' });

    // The district dashboard (a read model) follows the same edits.
    const dashboard = await api
      .gql(
        '{ districtDashboard(districtCode: "wangcheng", year: 2021) { budget executed upperTransfer executionRatePercent } }',
        {},
        actors.supervisor,
      )
      .expect(200);
    expect(dashboard.body.data.districtDashboard).toEqual({
      budget: '1181.19',
      executed: '982.92',
      upperTransfer: '10',
      executionRatePercent: '82.37',
    });

    const removed = await ok(REMOVE, { v: 3, line: 'f2' });
    expect(removed.version).toBe(4);
    expect(removed.funding.lines).toEqual([added.funding.lines[1]]);
    expect(removed.score).toEqual({ executionRatePercent: '83.47', fundingScore: '8.35', total: '98.35' });

    // A removed line's id is not given out again.
    const again = await ok(ADD, { v: 4, i: { source: '上年结转', budget: '0', executed: '0' } });
    expect(again.funding.lines.map((l: any) => l.id)).toEqual(['f1', 'f3']);
    expect(again.version).toBe(5);
    expect(again.score).toEqual(expectedScore([F1, { budget: 0n, executed: 0n, upperTransfer: 0n }]));
  });

  it('a stale expectedVersion is VERSION_CONFLICT with the current version, and changes nothing', async () => {
    const current = await versionNow();
    for (const [query, variables] of [
      [ADD, { v: 1, i: { source: '其他资金', budget: '1', executed: '1' } }],
      [CHANGE, { v: 1, line: 'f1', i: { executed: '1000' } }],
      [REMOVE, { v: 1, line: 'f1' }],
    ] as const) {
      const body = await mutate(query, variables);
      expect(body.errors[0].extensions).toEqual({ code: 'VERSION_CONFLICT', currentVersion: current });
      expect(body.errors[0].message).toBe(
        `评价表已被修改（当前版本 ${current}，提交的版本 1），请刷新后重试`,
      );
    }
    expect(await versionNow()).toBe(current);
  });

  it('a bad amount, or an id for a new line, is BAD_USER_INPUT naming its path, and changes nothing', async () => {
    const current = await versionNow();
    const changed = await mutate(CHANGE, { v: current, line: 'f1', i: { executed: '12.3.4' } });
    expect(changed.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      problems: [
        { code: 'INVALID_AMOUNT', path: 'input.changes.executed', message: '「12.3.4」不是有效的十进制数' },
      ],
    });
    expect(changed.errors[0].message).toBe('输入有误：input.changes.executed 「12.3.4」不是有效的十进制数');

    const added = await mutate(ADD, {
      v: current,
      i: { source: '其他资金', budget: '1.23456', executed: '1' },
    });
    expect(codeOf(added)).toBe('BAD_USER_INPUT');
    expect(added.errors[0].extensions.problems).toEqual([
      {
        code: 'INVALID_AMOUNT',
        path: 'input.line.budget',
        message: '「1.23456」小数位数过多（最多 4 位小数）',
      },
    ]);

    // FundingLineInput's id is for updateFunding; a new line gets its id from the form.
    const withId = await mutate(ADD, {
      v: current,
      i: { id: 'f1', source: '其他资金', budget: '1', executed: '1' },
    });
    expect(withId.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      problems: [{ code: 'UNKNOWN_FIELD', path: 'input.line.id', message: '未知字段 id' }],
    });
    expect(await versionNow()).toBe(current);
  });

  it('changing or removing an unknown line is BAD_USER_INPUT at input.lineId', async () => {
    const current = await versionNow();
    for (const [query, variables] of [
      [REMOVE, { v: current, line: 'f9' }],
      [REMOVE, { v: current, line: 'f2' }], // removed above: gone for good
      [CHANGE, { v: current, line: 'f9', i: { executed: '1' } }],
    ] as const) {
      const body = await mutate(query, variables);
      expect(body.errors[0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        problems: [{ code: 'INVALID_VALUE', path: 'input.lineId', message: '没有这个资金行' }],
      });
      expect(body.errors[0].message).toBe('输入有误：input.lineId 没有这个资金行');
    }
    expect(await versionNow()).toBe(current);
  });

  it('each edit is in evaluationHistory with its field-level changes; the refusals are not', async () => {
    const response = await api
      .gql(
        `{ evaluationHistory(id: "${EVALUATION_ID}") { edges { node { version type actor { id role } changes { path before after } } } } }`,
        {},
        actors.auditor,
      )
      .expect(200);
    expect(response.body.errors).toBeUndefined();
    const nodes = response.body.data.evaluationHistory.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.version, n.type, n.actor.id])).toEqual([
      [1, 'EvaluationImported', 'clerk-1'],
      [2, 'FundingLineAdded', 'clerk-1'],
      [3, 'FundingLineChanged', 'clerk-1'],
      [4, 'FundingLineRemoved', 'clerk-1'],
      [5, 'FundingLineAdded', 'clerk-1'],
    ]);
    const line = {
      id: 'f2',
      source: '其他资金',
      budget: '100',
      executed: '50',
      upperTransfer: '10',
      initialBudget: null,
    };
    const [, add, change, remove, addAgain] = nodes;
    expect(add.changes).toHaveLength(1);
    expect(add.changes[0]).toMatchObject({ path: 'funding.lines[f2]', before: null });
    expect(JSON.parse(add.changes[0].after)).toEqual(line);
    // only the field that changed
    expect(change.changes).toEqual([{ path: 'funding.lines[f2].executed', before: '50', after: '80.5' }]);
    expect(remove.changes).toHaveLength(1);
    expect(remove.changes[0]).toMatchObject({ path: 'funding.lines[f2]', after: null });
    expect(JSON.parse(remove.changes[0].before)).toEqual({ ...line, executed: '80.5' });
    expect(addAgain.changes.map((c: any) => c.path)).toEqual(['funding.lines[f3]']);
  });
});
