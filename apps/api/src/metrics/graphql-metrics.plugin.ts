import type { ApolloServerPlugin } from '../graphql/apollo';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { ApiMetrics } from './api-metrics';

/** The first root field an operation selects (its name, not an alias): a label from the schema's own set. */
function rootField(operation: OperationDefinitionNode | null | undefined): string {
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return first && first.kind === Kind.FIELD ? first.name.value : '(none)';
}

/**
 * Times every GraphQL request under its root field, operation type and outcome: `ok`, or the first
 * error's code (`BAD_USER_INPUT`, `QUERY_TOO_COMPLEX`, …). A request refused before it named an
 * operation (unparsable, invalid) counts under the field `(none)`.
 */
export function graphqlMetricsPlugin(metrics: ApiMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = metrics.operations.startTimer();
      return {
        async willSendResponse({ operation, response }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          end({
            field: rootField(operation),
            type: operation?.operation ?? '(none)',
            outcome: errors?.length ? (typeof code === 'string' ? code : 'error') : 'ok',
          });
        },
      };
    },
  };
}
