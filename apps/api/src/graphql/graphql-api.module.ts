import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Logger, Module } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import type { Request } from 'express';
import type { GraphQLSchema } from 'graphql';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { actorFromToken, bearerToken } from '../auth/tokens';
import { AuditResolver } from '../audit/audit.resolver';
import { EvaluationsResolver } from '../evaluations/evaluations.resolver';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { RegistryResolver } from '../registry/registry.resolver';
import { CyclesResolver } from '../cycles/cycles.resolver';
import { ReportRequests } from '../reports/report-requests';
import { ReportsResolver } from '../reports/reports.resolver';
import { formatGraphQLError, isUnexpected } from './format-error';
import { CompiledQueries, CompiledQueriesModule } from './compiled-queries';
import { queryLimitsPlugin } from './limits.plugin';
import type { RequestContext } from './request-context';
import { DecimalScalar, JsonScalar } from './scalars';

const logger = new Logger('GraphQL');

export function requestContext(req: Request & { id?: unknown }, config: AppConfig): RequestContext {
  const correlationId = String(req.id ?? '');
  const token = bearerToken(req.headers.authorization);
  if (!token) return { actor: null, authError: null, correlationId };
  try {
    return { actor: actorFromToken(token, config.jwtSecret), authError: null, correlationId };
  } catch (error) {
    return { actor: null, authError: (error as Error).message, correlationId };
  }
}

/** Each unexpected error in full (the client saw INTERNAL_SERVER_ERROR only), with the request's id. */
function unexpectedErrorsLogged(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (!isUnexpected(error)) continue;
            const err = error.originalError ?? error;
            logger.error({ correlationId: contextValue?.correlationId, err }, 'unexpected error');
          }
        },
      };
    },
  };
}

/** GraphQL over HTTP at /graphql: code-first schema, Apollo, limits, and errors with stable codes only. */
@Module({
  imports: [
    CompiledQueriesModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [CompiledQueriesModule],
      inject: [APP_CONFIG, GraphQLSchemaHost, CompiledQueries],
      useFactory: (config: AppConfig, schemaHost: GraphQLSchemaHost, compiledQueries: CompiledQueries) => ({
        path: '/graphql',
        autoSchemaFile: config.schemaFile === false ? true : config.schemaFile,
        sortSchema: true,
        playground: false,
        introspection: !config.production,
        csrfPrevention: true,
        includeStacktraceInErrorResponses: false,
        resolvers: { Decimal: DecimalScalar, JSON: JsonScalar },
        context: ({ req }: { req: Request }) => requestContext(req, config),
        formatError: formatGraphQLError,
        plugins: [
          unexpectedErrorsLogged(),
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
  providers: [
    EvaluationsService,
    EvaluationsResolver,
    AuditResolver,
    RegistryResolver,
    CyclesResolver,
    ReportRequests,
    ReportsResolver,
  ],
  exports: [EvaluationsService],
})
export class GraphqlApiModule {}
