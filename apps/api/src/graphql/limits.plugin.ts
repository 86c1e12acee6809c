import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  visit,
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
/**
 * Whether variables can change what a document costs (a page size or an @include/@skip condition);
 * otherwise its verdict holds for every request.
 */
function pagesFromVariables(operation: OperationDefinitionNode): boolean {
  let found = false;
  visit(operation, {
    Argument(node) {
      if (node.name.value === 'first' && node.value.kind === Kind.VARIABLE) found = true;
    },
    Directive(node) {
      // @include(if: $x) / @skip(if: $x) change what is counted
      if (node.arguments?.some((argument) => argument.value.kind === Kind.VARIABLE)) found = true;
    },
  });
  return found;
}

interface Verdict {
  code: 'QUERY_TOO_DEEP' | 'QUERY_TOO_COMPLEX';
  message: string;
}

export function queryLimitsPlugin(limits: QueryLimits, schema: () => GraphQLSchema): ApolloServerPlugin {
  // Apollo reuses the parsed document of a repeated query string, so a document's verdict is computed
  // once, unless variables can change its cost.
  const verdicts = new WeakMap<DocumentNode, Verdict | null>();
  const costDependsOnVariables = new WeakMap<DocumentNode, boolean>();

  const judge = (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): Verdict | null | undefined => {
    const depth = operationDepth(document, operation);
    if (depth > limits.maxDepth) {
      return {
        code: 'QUERY_TOO_DEEP',
        message: `query depth ${depth} exceeds the limit of ${limits.maxDepth}`,
      };
    }
    let complexity: number;
    try {
      complexity = getComplexity({
        schema: schema(),
        query: document,
        operationName,
        variables,
        estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      });
    } catch {
      // Variables that do not coerce: execution refuses them next with BAD_USER_INPUT (HTTP 400).
      return undefined;
    }
    if (complexity > limits.maxComplexity) {
      return {
        code: 'QUERY_TOO_COMPLEX',
        message: `query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`,
      };
    }
    return null;
  };

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
          const variables = request.variables ?? {};
          let variableCost = costDependsOnVariables.get(document);
          if (variableCost === undefined) {
            variableCost = pagesFromVariables(operation);
            costDependsOnVariables.set(document, variableCost);
          }
          const cacheable = !request.operationName && !variableCost;
          let verdict = cacheable ? verdicts.get(document) : undefined;
          if (verdict === undefined) {
            verdict = judge(document, operation, request.operationName ?? undefined, variables);
            if (cacheable && verdict !== undefined) verdicts.set(document, verdict);
          }
          if (verdict) throw refuse(verdict.code, verdict.message);
        },
      };
    },
  };
}
