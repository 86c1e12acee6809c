import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Logger, Module } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Authenticator } from '../auth/authenticator';
import { ApolloServerPluginCacheControlDisabled, type ApolloServerPlugin } from './apollo';
import { clientCode, graphQLErrorFormatter, isUnexpected } from './format-error';
import { BoundedQueryTexts } from './persisted-queries';
import { DOCUMENT_LIMITS } from './document-limits';
import { CompiledQueries, CompiledQueriesModule } from './compiled-queries';
import { BoundedDocumentStore } from './document-store';
import { queryLimitsPlugin } from './limits.plugin';
import type { RequestContext } from './request-context';
import type { LoggedRequest } from '../http/request-logging';
import { DecimalScalar, JsonScalar } from './scalars';

import { ApiMetrics } from '../metrics/api-metrics';
import { graphqlMetricsPlugin } from '../metrics/graphql-metrics.plugin';
const logger = new Logger('GraphQL');

/** The caller from the bearer header (HS256 or OIDC) or the console's session cookie. */
export async function requestContext(
  req: LoggedRequest,
  authenticator: Authenticator,
): Promise<RequestContext> {
  const { actor, authError } = await authenticator.fromHeaders(req.headers);
  return { actor, authError, correlationId: String(req.id ?? ''), outcome: {} };
}

/**
 * What each request's errors are worth in the log. An unexpected error: in full, with its stack and the
 * request's id (the client saw INTERNAL_SERVER_ERROR only). Client errors (a typo, an expired token, a
 * stale version): no line of their own, only their codes counted on the request's one access line, so
 * a request with thousands of aliased errors writes one line and an alert on error lines means a fault.
 */
function errorsLogged(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName, request }) {
          const counts: Record<string, number> = {};
          const unexpected = errors.filter(isUnexpected);
          for (const error of errors) {
            const code = unexpected.includes(error) ? 'INTERNAL_SERVER_ERROR' : String(clientCode(error));
            counts[code] = (counts[code] ?? 0) + 1;
          }
          // One line per request however many fields failed (aliases of one broken field fail alike):
          // the first error in full, and how many more there were.
          if (unexpected.length > 0) {
            const err = unexpected[0].originalError ?? unexpected[0];
            const more = unexpected.length - 1;
            logger.error(
              { correlationId: contextValue?.correlationId, err, ...(more > 0 ? { more } : {}) },
              'unexpected error',
            );
          }
          const outcome = contextValue?.outcome;
          if (!outcome) return;
          outcome.errors = counts;
          const name = operationName ?? request.operationName;
          if (name) outcome.operationName = name.slice(0, 100);
        },
      };
    },
  };
}

/**
 * GraphQL over HTTP at /graphql: code-first schema, Apollo, limits, and errors with stable codes only.
 * The resolvers live in their slices' modules (evaluations, audit, reports, cycles, registry…).
 */
@Module({
  imports: [
    CompiledQueriesModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [CompiledQueriesModule],
      inject: [APP_CONFIG, GraphQLSchemaHost, CompiledQueries, ApiMetrics, Authenticator],
      useFactory: (
        config: AppConfig,
        schemaHost: GraphQLSchemaHost,
        compiledQueries: CompiledQueries,
        metrics: ApiMetrics,
        authenticator: Authenticator,
      ) => ({
        path: '/graphql',
        autoSchemaFile: config.schemaFile === false ? true : config.schemaFile,
        sortSchema: true,
        playground: false,
        introspection: !config.production,
        csrfPrevention: true,
        includeStacktraceInErrorResponses: false,
        resolvers: { Decimal: DecimalScalar, JSON: JsonScalar },
        // Apollo's Fastify integration hands the context function Fastify's request. The raw request
        // carries the correlation id (Fastify's request id) and, for the access line written when the
        // answer has been sent, the GraphQL outcome.
        context: async (request: FastifyRequest) => {
          const req: LoggedRequest = request.raw;
          const context = await requestContext(req, authenticator);
          req.graphql = context.outcome;
          return context;
        },
        formatError: graphQLErrorFormatter({ production: config.production }),
        hideSchemaDetailsFromClientErrors: config.production,
        // Parsing stops past this many tokens, before the document is validated (QUERY_TOO_LARGE).
        parseOptions: { maxTokens: DOCUMENT_LIMITS.maxTokens },
        // Parsed documents weighed by their heap, not Apollo's JSON length (document-store.ts).
        documentStore: new BoundedDocumentStore(),
        // Query texts registered by hash, by anyone: bounded by count and size (persisted-queries.ts).
        persistedQueries: { cache: new BoundedQueryTexts() },
        // Each error costs a stack trace: a document full of mistakes stops being checked after these.
        validationOptions: { maxErrors: DOCUMENT_LIMITS.maxValidationErrors },
        plugins: [
          errorsLogged(),
          graphqlMetricsPlugin(metrics),
          // No HTTP cache hints are used; the plugin's per-field hook is measurable under load.
          ApolloServerPluginCacheControlDisabled(),
          queryLimitsPlugin(
            { maxDepth: config.graphqlMaxDepth, maxComplexity: config.graphqlMaxComplexity },
            (): GraphQLSchema => schemaHost.schema,
          ),
          compiledQueries.plugin(),
        ],
      }),
    }),
  ],
})
export class GraphqlApiModule {}
