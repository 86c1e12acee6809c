import type { ApolloDriver } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { BoundedDocumentStore, DOCUMENT_STORE_LIMITS } from './document-store';
import { startTestApp, type TestApp } from '../testing/test-app';

/** The store Apollo really uses in the running application (not reachable through its public API). */
function documentStoreOf(api: TestApp): unknown {
  const apollo = (api.app.get(GraphQLModule).graphQlAdapter as ApolloDriver).instance;
  const state = (apollo as any).internals.state;
  return state.schemaManager.getSchemaDerivedData().documentStore;
}

describe('the document store of the running API', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()), 60_000);
  afterAll(() => api?.close());

  it('stays within its budget when every request inlines new values into its text', async () => {
    const store = documentStoreOf(api);
    expect(store).toBeInstanceOf(BoundedDocumentStore);
    const bounded = store as BoundedDocumentStore;
    expect(bounded.limits).toEqual(DOCUMENT_STORE_LIMITS);

    // ~50 KB of text each, as a client pasting a long value into the query would send: ~220 KB of
    // estimated heap as a query, so the byte budget is what binds long before the count does.
    const pad = 'x'.repeat(50_000);
    const texts = Array.from({ length: 150 }, (_, i) => `{ evaluation(id: "${i}-${pad}") { id } }`);
    for (const text of texts) {
      const answer = await api.gql(text);
      expect(answer.status).toBe(200); // anonymous: refused by the resolver, after Apollo kept the document
    }
    expect(bounded.bytes).toBeLessThanOrEqual(DOCUMENT_STORE_LIMITS.maxBytes);
    expect(bounded.bytes).toBeGreaterThan(DOCUMENT_STORE_LIMITS.maxBytes * 0.9);
    expect(bounded.size).toBeLessThan(texts.length);

    // The most recent text is still there: asked again, nothing new is stored.
    const size = bounded.size;
    await api.gql(texts[texts.length - 1]);
    expect(bounded.size).toBe(size);
  });
});
