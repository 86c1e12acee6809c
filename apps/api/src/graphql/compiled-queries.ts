import type { ApolloServerPlugin, GraphQLRequestContext } from './apollo';
import { Injectable, Module } from '@nestjs/common';
import type { DocumentNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** How often a document must have been asked before it is compiled: one-off documents are not worth it. */
const COMPILE_AFTER = 2;

interface Entry {
  seen: number;
  /** null: graphql-jit could not compile it; graphql-js keeps executing it. */
  compiled?: CompiledQuery | null;
}

/**
 * Executes repeated read-only operations with graphql-jit: a query compiled once into plain functions
 * instead of graphql-js walking the document field by field, which was most of a form page's cost.
 *
 * Only answers without errors are taken. Anything else (a refusal, a missing value, variables that do
 * not coerce) is executed again by graphql-js, so errors keep Apollo's formatting, codes and HTTP
 * statuses exactly. That is safe only because queries have no effects; mutations are never compiled.
 */
@Injectable()
export class CompiledQueries {
  // Apollo hands out the same parsed document for the same query text (its document cache), so the
  // document is the key, and compiled queries go when Apollo evicts their document: there are never more
  // than the documents it keeps. A compiled query weighs 1 to 3 times its document; BoundedDocumentStore
  // (document-store.ts) counts that share in every query document, so its budget bounds both. Per
  // document, entries are by operation name, and only names of the document's own operations get one.
  private readonly entries = new WeakMap<DocumentNode, Map<string, Entry>>();
  /** answers served by compiled queries, and those handed back to graphql-js (tests and diagnostics) */
  readonly counts = { compiledAnswers: 0, handedBack: 0 };

  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        responseForOperation: async (context) => {
          const compiled = this.compiledFor(context);
          if (!compiled) return null;
          const result = await Promise.resolve()
            .then(() => compiled.query(undefined, context.contextValue, context.request.variables ?? {}))
            .catch(() => null);
          if (!result || result.errors?.length) {
            this.counts.handedBack += 1;
            return null;
          }
          this.counts.compiledAnswers += 1;
          return {
            // Nothing to add to the answer's status or headers: the request's own head, which Apollo
            // merges this into, is handed back as it is (no second copy of Apollo's HeaderMap class).
            http: context.response.http,
            body: { kind: 'single', singleResult: { data: result.data } },
          };
        },
      }),
    };
  }

  private compiledFor(context: GraphQLRequestContext<object>): CompiledQuery | null {
    const { document, operation, schema, request } = context;
    if (!document || !operation || operation.operation !== 'query') return null;
    const name = request.operationName ?? '';
    let byName = this.entries.get(document);
    if (!byName) this.entries.set(document, (byName = new Map()));
    let entry = byName.get(name);
    if (!entry) byName.set(name, (entry = { seen: 0 }));
    if (entry.compiled !== undefined) return entry.compiled;
    if (++entry.seen < COMPILE_AFTER) return null;
    try {
      const compiled = compileQuery(schema, document, request.operationName ?? undefined);
      entry.compiled = isCompiledQuery(compiled) ? compiled : null;
    } catch {
      entry.compiled = null;
    }
    return entry.compiled;
  }
}

@Module({ providers: [CompiledQueries], exports: [CompiledQueries] })
export class CompiledQueriesModule {}
