import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator, fieldExtensionsEstimator } from 'graphql-query-complexity';

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
}

function depthOf(
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, seen));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return deepest;
}

function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return depthOf(operation.selectionSet, fragments, new Set());
}

const refuse = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** Refuses queries nested too deeply or too expensive before anything is resolved (HTTP 400). */
export function queryLimitsPlugin(limits: QueryLimits, schema: () => GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          // Introspection (off in production) asks for deep type references by design.
          const introspectionOnly = operation.selectionSet.selections.every(
            (s) => s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type'),
          );
          if (introspectionOnly) return;
          const depth = operationDepth(document, operation);
          if (depth > limits.maxDepth)
            throw refuse('QUERY_TOO_DEEP', `query depth ${depth} exceeds the limit of ${limits.maxDepth}`);
          let complexity: number;
          try {
            complexity = getComplexity({
              schema: schema(),
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // Variables that do not coerce: execution refuses them next with BAD_USER_INPUT (HTTP 400).
            return;
          }
          if (complexity > limits.maxComplexity) {
            throw refuse(
              'QUERY_TOO_COMPLEX',
              `query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`,
            );
          }
        },
      };
    },
  };
}
