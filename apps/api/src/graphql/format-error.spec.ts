import { createHash } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { clientCode, graphQLErrorFormatter, isUnexpected } from './format-error';

/**
 * The formatter inside a real Apollo Server, for what the service's own limits keep from happening over
 * HTTP: its token cap stops the parser before it can overflow its stack, so here the parser is given
 * room to overflow.
 */
describe('errors Apollo and graphql-js raise before a resolver runs', () => {
  const serve = (production: boolean) =>
    new ApolloServer({
      typeDefs: 'type Query { hello(name: String, sort: Sort): String } enum Sort { TOTAL_DESC }',
      resolvers: { Query: { hello: () => 'hi' } },
      formatError: graphQLErrorFormatter({ production }),
      parseOptions: { maxTokens: 1_000_000 },
    });
  let server: ApolloServer;
  let production: ApolloServer;
  beforeAll(async () => {
    server = serve(false);
    production = serve(true);
    await Promise.all([server.start(), production.start()]);
  });
  afterAll(() => Promise.all([server.stop(), production.stop()]));

  const errorsOf = async (
    response: Awaited<ReturnType<ApolloServer['executeOperation']>>,
  ): Promise<Array<{ message: string; extensions?: Record<string, unknown> }>> => {
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return (response.body.singleResult.errors ?? []) as never;
  };

  it('a parser stack overflow is QUERY_TOO_DEEP, without the words of the overflow', async () => {
    const deep = `{ hello(name: ${'['.repeat(100_000)}) }`;
    const response = await server.executeOperation({ query: deep });
    expect(response.http.status).toBe(400);
    expect(await errorsOf(response)).toEqual([
      {
        message: 'the document nests selections or values too deeply',
        extensions: { code: 'QUERY_TOO_DEEP' },
      },
    ]);
  });

  it('persisted query refusals carry codes of their own', async () => {
    const mismatch = await server.executeOperation({
      query: '{ hello }',
      extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } },
    });
    expect((await errorsOf(mismatch))[0].extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    const version = await server.executeOperation({
      query: '{ hello }',
      extensions: {
        persistedQuery: { version: 2, sha256Hash: createHash('sha256').update('{ hello }').digest('hex') },
      },
    });
    expect((await errorsOf(version))[0].extensions?.code).toBe('PERSISTED_QUERY_VERSION_NOT_SUPPORTED');
  });

  it('names no field or value the client did not ask for in production, and does outside it', async () => {
    const asked = [
      { query: '{ helo }' },
      { query: 'query($s: Sort) { hello(sort: $s) }', variables: { s: 'TOTAL_DES' } },
    ];
    for (const request of asked) {
      const hidden = await errorsOf(await production.executeOperation(request));
      expect(hidden[0].message).not.toMatch(/Did you mean|"hello"|TOTAL_DESC/);
      const shown = await errorsOf(await server.executeOperation(request));
      expect(shown[0].message).toMatch(/Did you mean/);
    }
  });
});

describe('which errors are unexpected', () => {
  it('the refusals above are client errors, with the codes the client sees', () => {
    const tokens = new GraphQLError(
      'Syntax Error: Document contains more that 1500 tokens. Parsing aborted.',
      {
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    );
    expect([clientCode(tokens), isUnexpected(tokens)]).toEqual(['QUERY_TOO_LARGE', false]);
    const mismatch = new GraphQLError('provided sha does not match query');
    expect([clientCode(mismatch), isUnexpected(mismatch)]).toEqual(['PERSISTED_QUERY_HASH_MISMATCH', false]);
    const fault = new GraphQLError('boom', { originalError: new TypeError('x is undefined') });
    expect(isUnexpected(fault)).toBe(true);
  });
});
