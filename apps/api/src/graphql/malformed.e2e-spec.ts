import request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { signToken } from '../auth/tokens';
import { EVALUATION_ID, actors, exampleDocument, seedExample, codeOf } from '../testing/graphql-fixtures';

describe('malformed input is answered with a code, never a 500', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  const post = () => request(api.app.getHttpServer()).post('/graphql');

  it('a bad decimal names the field', async () => {
    const response = await api.gql(
      `mutation { updateFunding(id: "${EVALUATION_ID}", expectedVersion: 1, input: { lines: [{ source: "财政拨款", budget: "abc", executed: "1e309" }] }) { version } }`,
      {},
      actors.clerk,
    );
    expect(response.status).toBe(200);
    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [
        { code: 'INVALID_AMOUNT', path: 'input.lines[0].budget' },
        { code: 'INVALID_AMOUNT', path: 'input.lines[0].executed' },
      ],
    });
  });

  it('a decimal of the wrong type is refused by the scalar', async () => {
    const response = await api.gql(
      'mutation($i: UpdateFundingInput!) { updateFunding(id: "x", expectedVersion: 1, input: $i) { version } }',
      { i: { weight: { nested: true } } },
      actors.clerk,
    );
    expect(response.status).toBe(400);
    expect(codeOf(response.body)).toBe('BAD_USER_INPUT');
  });

  it('unknown fields in an input or in a document are refused', async () => {
    const input = await api.gql(
      'mutation($i: UpdateNarrativeInput!) { updateNarrative(id: "x", expectedVersion: 1, input: $i) { version } }',
      { i: { functions: 'x', colour: 'red' } },
      actors.clerk,
    );
    expect(input.status).toBe(400);
    expect(codeOf(input.body)).toBe('BAD_USER_INPUT');
    const document = exampleDocument();
    document.colour = 'red';
    const imported = await api.gql(
      'mutation($d: JSON!) { importEvaluation(document: $d) { id } }',
      { d: document },
      actors.clerk,
    );
    expect(imported.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ code: 'UNKNOWN_FIELD', path: '$.colour' }],
    });
  });

  it('a text over 10,000 characters is refused, not truncated', async () => {
    const response = await api.gql(
      'mutation($i: UpdateNarrativeInput!) { updateNarrative(id: "' +
        EVALUATION_ID +
        '", expectedVersion: 1, input: $i) { version } }',
      { i: { functions: '字'.repeat(10_001) } },
      actors.clerk,
    );
    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ code: 'TEXT_TOO_LONG', path: 'input.functions' }],
    });
    const still = await api.gql(`{ evaluation(id: "${EVALUATION_ID}") { version } }`, {}, actors.clerk);
    expect(still.body.data.evaluation.version).toBe(1);
  });

  it('a body over the limit is 413 with a code', async () => {
    const response = await post()
      .set('content-type', 'application/json')
      .send(JSON.stringify({ query: '{ __typename }', variables: { x: 'a'.repeat(1_100_000) } }));
    expect(response.status).toBe(413);
    expect(codeOf(response.body)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a broken JSON body is 400 with a code', async () => {
    const response = await post().set('content-type', 'application/json').send('{"query": "{ __typename }"');
    expect(response.status).toBe(400);
    expect(codeOf(response.body)).toBe('BAD_REQUEST');
  });

  it('a query that does not parse, or asks for fields that do not exist, is 400', async () => {
    const unparsable = await api.gql('{ evaluation(id: ', {}, actors.clerk);
    expect(unparsable.status).toBe(400);
    expect(codeOf(unparsable.body)).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await api.gql('{ evaluation(id: "x") { secret } }', {}, actors.clerk);
    expect(unknown.status).toBe(400);
    expect(codeOf(unknown.body)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a GET without a preflight header is refused by CSRF prevention', async () => {
    const response = await request(api.app.getHttpServer()).get('/graphql?query=%7B__typename%7D');
    expect(response.status).toBe(400);
  });

  it('no stack trace or internal detail reaches the client', async () => {
    const response = await api.gql(
      `mutation { moveIndicator(id: "${EVALUATION_ID}", expectedVersion: 1, rowId: "r1", toIndex: 99) { version } }`,
      {},
      actors.clerk,
    );
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|at .*\.ts:\d+|SQLITE/);
    expect(codeOf(response.body)).toBe('BAD_USER_INPUT');
  });
});

describe('query limits', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ graphqlMaxDepth: 3, graphqlMaxComplexity: 200 })));
  afterAll(() => api.close());

  it('too deep or too expensive queries are refused before anything runs', async () => {
    const deep = await api.gql(
      `{ evaluation(id: "${EVALUATION_ID}") { indicators { suggestion { score } } } }`,
      {},
      actors.clerk,
    );
    expect(deep.status).toBe(400);
    expect(codeOf(deep.body)).toBe('QUERY_TOO_DEEP');
    const expensive = await api.gql(
      '{ evaluations(first: 100) { totalCount edges { cursor } } }',
      {},
      actors.clerk,
    );
    expect(expensive.status).toBe(400);
    expect(codeOf(expensive.body)).toBe('QUERY_TOO_COMPLEX');
    const fine = await api.gql(
      '{ evaluations(first: 10) { totalCount edges { cursor } } }',
      {},
      actors.clerk,
    );
    expect(fine.status).toBe(200);
  });

  it('a page size from a variable is judged on every request, not by the first verdict', async () => {
    const query = 'query($n: Int) { evaluations(first: $n) { totalCount edges { cursor } } }';
    expect((await api.gql(query, { n: 10 }, actors.clerk)).status).toBe(200);
    const expensive = await api.gql(query, { n: 100 }, actors.clerk);
    expect(codeOf(expensive.body)).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('rate limiting per user or address', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ rateLimitPerMinute: 5 })));
  afterAll(() => api.close());

  it('answers 429 with a code past the limit, counting each user separately', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.gql('{ __typename }', {}, actors.clerk)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await api.gql('{ __typename }', {}, actors.clerk);
    expect(codeOf(limited.body)).toBe('RATE_LIMITED');
    expect((await api.gql('{ __typename }', {}, actors.supervisor)).status).toBe(200);
  });

  it('a forged token buys no fresh window: it counts against the address', async () => {
    const forged = (sub: string) => signToken({ id: sub, role: 'ADMIN' }, 'not-the-server-secret');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await request(api.app.getHttpServer())
        .post('/graphql')
        .set('authorization', `Bearer ${forged(`intruder-${i}`)}`)
        .send({ query: '{ __typename }' });
      statuses.push(response.status);
    }
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe('introspection', () => {
  it('is off in production', async () => {
    const api = await startTestApp({ production: true });
    const response = await api.gql('{ __schema { queryType { name } } }', {}, actors.clerk);
    expect(response.status).toBe(400);
    expect(codeOf(response.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    await api.close();
  });
});
