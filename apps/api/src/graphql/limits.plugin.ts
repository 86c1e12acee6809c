import type { ApolloServerPlugin } from './apollo';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import {
  DOCUMENT_LIMITS,
  costReadsVariables,
  measureDocument,
  nestsDeeperThan,
  operationCost,
  operationReach,
  type DocumentLimits,
  type DocumentMeasure,
  type Refusal,
} from './document-limits';

export interface QueryLimits {
  /** deepest field nesting, fragments expanded (QUERY_TOO_DEEP) */
  maxDepth: number;
  /** cost as the fields' `complexity` options count it (QUERY_TOO_COMPLEX) */
  maxComplexity: number;
  /** caps on the document as written, checked before validation; DOCUMENT_LIMITS unless given */
  document?: Partial<DocumentLimits>;
}

const refusal = ({ code, message, problems }: Refusal) =>
  new GraphQLError(message, {
    extensions: { code, ...(problems ? { problems } : {}), http: { status: 400 } },
  });

const NOT_COMPUTABLE: Refusal = {
  code: 'QUERY_TOO_COMPLEX',
  message: 'the cost of this query could not be computed',
};

const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);
/** An operation whose cost verdict depends on each request's variables (costReadsVariables). */
const PER_REQUEST = Symbol('per request');

/**
 * Subscriptions run over graphql-ws (subscriptions/subscription-server.ts), never over HTTP. Refused
 * before validation: graphql-js's single-root-field rule evaluates @skip/@include on a subscription's
 * root with no variables and throws on `@skip(if: $v)` (a 500), which validation must not reach.
 */
function subscriptionOverHttp(document: DocumentNode): Refusal | null {
  const subscribes = document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription',
  );
  return subscribes
    ? { code: 'OPERATION_NOT_SUPPORTED', message: 'subscriptions go over graphql-ws at /graphql, not HTTP' }
    : null;
}

/**
 * Refuses, before anything is resolved and with HTTP 400: documents over DOCUMENT_LIMITS
 * (QUERY_TOO_LARGE, or QUERY_TOO_DEEP for nesting) before graphql-js validates them; operations other
 * than query and mutation (OPERATION_NOT_SUPPORTED); variables nested too deeply and `first` / `last`
 * outside PAGE_SIZE (BAD_USER_INPUT); operations too deep (QUERY_TOO_DEEP) or too expensive
 * (QUERY_TOO_COMPLEX). Every check is linear in the document, and anything that cannot be computed is
 * refused.
 *
 * The token cap is graphql-js's own (`parseOptions.maxTokens`, set with DOCUMENT_LIMITS.maxTokens where
 * Apollo is configured): parsing stops there.
 */
export function queryLimitsPlugin(limits: QueryLimits, schema: () => GraphQLSchema): ApolloServerPlugin {
  const documentLimits: DocumentLimits = { ...DOCUMENT_LIMITS, ...limits.document };
  // Apollo hands out the same parsed document for the same query text (its document cache), so what
  // depends on the document alone is computed once per document or operation.
  const measures = new WeakMap<DocumentNode, DocumentMeasure>();
  const refusedDocuments = new WeakMap<DocumentNode, Refusal>();
  const reachVerdicts = new WeakMap<OperationDefinitionNode, Refusal | null>();
  // The cost verdict of each operation whose variables cannot change it; PER_REQUEST for the others.
  const costVerdicts = new WeakMap<OperationDefinitionNode, Refusal | null | typeof PER_REQUEST>();

  const measure = (document: DocumentNode): DocumentMeasure => {
    let measured = measures.get(document);
    if (!measured) measures.set(document, (measured = measureDocument(document, documentLimits)));
    return measured;
  };

  const judgeReach = (document: DocumentNode, operation: OperationDefinitionNode): Refusal | null => {
    const reach = operationReach(schema(), document, operation);
    // Introspection (off in production) follows type references deeper than any query of ours.
    const introspection = operation.selectionSet.selections.every(
      (s) => s.kind === Kind.FIELD && INTROSPECTION_FIELDS.has(s.name.value),
    );
    const maxDepth = introspection
      ? Math.max(limits.maxDepth, documentLimits.introspectionMaxDepth)
      : limits.maxDepth;
    if (reach.depth > maxDepth) {
      return {
        code: 'QUERY_TOO_DEEP',
        message: `query depth ${reach.depth} exceeds the limit of ${maxDepth}`,
      };
    }
    if (reach.introspectionLists > documentLimits.introspectionMaxListNesting) {
      return {
        code: 'QUERY_TOO_DEEP',
        message: `introspection lists nest ${reach.introspectionLists} deep, over the limit of ${documentLimits.introspectionMaxListNesting}`,
      };
    }
    return null;
  };

  const judgeCost = (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): Refusal | null => {
    const { complexity, problems } = operationCost(schema(), document, operation, variables);
    if (problems.length) {
      return {
        code: 'BAD_USER_INPUT',
        message: problems.map((p) => `${p.path}: ${p.message}`).join('; '),
        problems,
      };
    }
    if (complexity > limits.maxComplexity) {
      return {
        code: 'QUERY_TOO_COMPLEX',
        message: `query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`,
      };
    }
    return null;
  };

  const judge = (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): Refusal | null => {
    if (operation.operation !== 'query' && operation.operation !== 'mutation') {
      return {
        code: 'OPERATION_NOT_SUPPORTED',
        message: `${operation.operation} operations are not supported; use a query or a mutation`,
      };
    }
    if (nestsDeeperThan(variables, documentLimits.maxVariableNesting)) {
      return {
        code: 'BAD_USER_INPUT',
        message: `variables nest objects or lists more than ${documentLimits.maxVariableNesting} deep`,
      };
    }
    let reach = reachVerdicts.get(operation);
    if (reach === undefined) reachVerdicts.set(operation, (reach = judgeReach(document, operation)));
    if (reach) return reach;
    let cost = costVerdicts.get(operation);
    if (cost === undefined) {
      cost = costReadsVariables(schema(), document, operation)
        ? PER_REQUEST
        : judgeCost(document, operation, {});
      costVerdicts.set(operation, cost);
    }
    return cost === PER_REQUEST ? judgeCost(document, operation, variables) : cost;
  };

  return {
    async requestDidStart() {
      return {
        async validationDidStart(context) {
          const refused = measure(context.document).refusal ?? subscriptionOverHttp(context.document);
          if (!refused) return;
          // Throwing here would answer 500, and validating the document could take seconds. It is put
          // aside for a stand-in that validates at once, which didResolveOperation refuses; Apollo's
          // document cache then keeps the small stand-in for this query text instead of the document.
          const standIn = parse('{ __typename }');
          refusedDocuments.set(standIn, refused);
          (context as { document: DocumentNode }).document = standIn;
        },

        async didResolveOperation({ document, operation, request }) {
          const refusedBeforeValidation = refusedDocuments.get(document);
          if (refusedBeforeValidation) throw refusal(refusedBeforeValidation);
          // A document from a cache this process did not fill has not been measured yet.
          const measured = measure(document).refusal;
          if (measured) throw refusal(measured);
          if (!operation) return; // execution refuses it (OPERATION_RESOLUTION_FAILURE)
          let verdict: Refusal | null;
          try {
            verdict = judge(document, operation, request.variables ?? {});
          } catch {
            verdict = NOT_COMPUTABLE;
          }
          if (verdict) throw refusal(verdict);
        },

        async willSendResponse({ response }) {
          // Apollo answers a persisted query it does not have with 200 (its protocol's cue to send the
          // text); every automatic persisted query error is a refused request here.
          if (response.body.kind !== 'single' || 'data' in response.body.singleResult) return;
          const code = response.body.singleResult.errors?.[0]?.extensions?.code;
          if (typeof code === 'string' && code.startsWith('PERSISTED_QUERY_')) response.http.status = 400;
        },
      };
    },
  };
}
