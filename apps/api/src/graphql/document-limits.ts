import {
  BREAK,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromAST,
  visit,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * Caps on the document as written, checked before graphql-js validates it: validation itself is
 * super-linear on some shapes (OverlappingFieldsCanBeMerged compares fields that share a response name
 * pairwise), so a document has to be small before it is validated. The largest real queries (the tests'
 * and the README's) have 56 fields, 2 aliases, 1 fragment and 100 tokens; these leave several times that.
 * Large inputs belong in variables (the example form written inline as a literal is 542 tokens).
 */
export const DOCUMENT_LIMITS = {
  /**
   * lexical tokens; graphql-js stops parsing past it (a 10 KB document of one-letter names has ~5,000),
   * before its recursive parser can nest deep enough to overflow the stack (~2,000 lists under jest)
   */
  maxTokens: 1_500,
  maxFields: 250,
  maxAliases: 50,
  /** fields answering under one name in one selection set (`{ id id }`): these are compared pairwise */
  maxSameResponseName: 10,
  maxFragmentDefinitions: 30,
  /** named spreads and inline fragments */
  maxFragmentSpreads: 100,
  maxDirectives: 50,
  maxOperations: 10,
  maxVariableDefinitions: 50,
  /**
   * graphql-js stops validating after this many errors (its default is 100): each costs an error object
   * with a stack trace, most of the CPU of refusing a document full of mistakes
   */
  maxValidationErrors: 10,
  /** selection sets, object and list values nested in the text */
  maxNesting: 32,
  /** objects and arrays nested in the variables */
  maxVariableNesting: 32,
  /**
   * An operation asking only for __schema/__type may go deeper than maxDepth (the standard introspection
   * query follows ofType chains), but its lists may nest only as far as types → fields → args: nested
   * lists of the schema's own description multiply.
   */
  introspectionMaxDepth: 16,
  introspectionMaxListNesting: 3,
} as const;

export type DocumentLimits = { [K in keyof typeof DOCUMENT_LIMITS]: number };

/** `first` / `last` on any list: the same bounds everywhere, whatever a resolver would clamp to. */
export const PAGE_SIZE = { min: 1, max: 100 } as const;

export type RefusalCode =
  'QUERY_TOO_LARGE' | 'QUERY_TOO_DEEP' | 'QUERY_TOO_COMPLEX' | 'BAD_USER_INPUT' | 'OPERATION_NOT_SUPPORTED';

export interface Problem {
  code: string;
  path: string;
  message: string;
}

export interface Refusal {
  code: RefusalCode;
  message: string;
  problems?: Problem[];
}

export interface DocumentMeasure {
  refusal: Refusal | null;
}

const tooLarge = (what: string, limit: number): Refusal => ({
  code: 'QUERY_TOO_LARGE',
  message: `the document has more than ${limit} ${what}`,
});

/**
 * The document as written, in one pass without recursion (visit keeps its own stack), stopping at the
 * first cap exceeded. Fragments are not expanded here: each is counted once where it is defined.
 */
export function measureDocument(document: DocumentNode, limits: DocumentLimits): DocumentMeasure {
  let refusal: Refusal | null = null;
  let fields = 0;
  let aliases = 0;
  let fragments = 0;
  let spreads = 0;
  let directives = 0;
  let operations = 0;
  let variableDefinitions = 0;
  let nesting = 0;
  const refuse = (r: Refusal) => {
    refusal = r;
    return BREAK;
  };
  const nest = {
    enter() {
      nesting += 1;
      if (nesting > limits.maxNesting) {
        return refuse({
          code: 'QUERY_TOO_DEEP',
          message: `the document nests selections or values more than ${limits.maxNesting} deep`,
        });
      }
      return undefined;
    },
    leave() {
      nesting -= 1;
    },
  };
  visit(document, {
    OperationDefinition() {
      if (++operations > limits.maxOperations) return refuse(tooLarge('operations', limits.maxOperations));
      return undefined;
    },
    FragmentDefinition() {
      if (++fragments > limits.maxFragmentDefinitions)
        return refuse(tooLarge('fragment definitions', limits.maxFragmentDefinitions));
      return undefined;
    },
    VariableDefinition() {
      if (++variableDefinitions > limits.maxVariableDefinitions)
        return refuse(tooLarge('variable definitions', limits.maxVariableDefinitions));
      return undefined;
    },
    Field(node) {
      if (++fields > limits.maxFields) return refuse(tooLarge('fields', limits.maxFields));
      if (node.alias && ++aliases > limits.maxAliases) return refuse(tooLarge('aliases', limits.maxAliases));
      return undefined;
    },
    FragmentSpread() {
      if (++spreads > limits.maxFragmentSpreads)
        return refuse(tooLarge('fragment spreads', limits.maxFragmentSpreads));
      return undefined;
    },
    InlineFragment() {
      if (++spreads > limits.maxFragmentSpreads)
        return refuse(tooLarge('fragment spreads', limits.maxFragmentSpreads));
      return undefined;
    },
    Directive() {
      if (++directives > limits.maxDirectives) return refuse(tooLarge('directives', limits.maxDirectives));
      return undefined;
    },
    SelectionSet: {
      enter(node) {
        const nested = nest.enter();
        if (nested) return nested;
        const seen = new Map<string, number>();
        for (const selection of node.selections) {
          if (selection.kind !== Kind.FIELD) continue;
          const name = (selection.alias ?? selection.name).value;
          const count = (seen.get(name) ?? 0) + 1;
          if (count > limits.maxSameResponseName) {
            return refuse({
              code: 'QUERY_TOO_LARGE',
              message: `the document asks for "${name}" more than ${limits.maxSameResponseName} times in one selection`,
            });
          }
          seen.set(name, count);
        }
        return undefined;
      },
      leave: nest.leave,
    },
    ObjectValue: nest,
    ListValue: nest,
  });
  return { refusal };
}

/** How deeply an operation nests, fragments expanded; each fragment is measured once. */
export interface Reach {
  depth: number;
  /** lists of the schema's own description (__Schema.types, __Type.fields…) nested in one another */
  introspectionLists: number;
}

/** A limit that cannot be computed: the request is refused (fail closed). */
export class CannotCompute extends Error {}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

function fieldDefinition(
  schema: GraphQLSchema,
  parent: GraphQLNamedType | undefined,
  node: FieldNode,
): GraphQLField<unknown, unknown> | undefined {
  const name = node.name.value;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

function conditionType(
  schema: GraphQLSchema,
  parent: GraphQLNamedType | undefined,
  typeCondition: { name: { value: string } } | undefined,
): GraphQLNamedType | undefined {
  return typeCondition ? schema.getType(typeCondition.name.value) : parent;
}

/**
 * Depth of an operation in time linear in the document: a fragment's reach does not depend on where it
 * is spread, so it is computed once and reused. A fragment met again while it is being measured is a
 * cycle (validation refuses those first); it is not computable, so the caller refuses.
 */
export function operationReach(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Reach {
  const fragments = fragmentsOf(document);
  const known = new Map<string, Reach>();
  const measuring = new Set<string>();

  const reachOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): Reach => {
    let depth = 0;
    let introspectionLists = 0;
    for (const selection of selectionSet.selections) {
      let reach: Reach;
      if (selection.kind === Kind.FIELD) {
        const field = fieldDefinition(schema, parent, selection);
        const child = selection.selectionSet
          ? reachOf(selection.selectionSet, field && getNamedType(field.type))
          : { depth: 0, introspectionLists: 0 };
        const introspectionList =
          !!field && !!parent && parent.name.startsWith('__') && isListType(getNullableType(field.type));
        reach = {
          depth: child.depth + 1,
          introspectionLists: child.introspectionLists + (introspectionList ? 1 : 0),
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        reach = reachOf(selection.selectionSet, conditionType(schema, parent, selection.typeCondition));
      } else {
        reach = fragmentReach(selection.name.value);
      }
      depth = Math.max(depth, reach.depth);
      introspectionLists = Math.max(introspectionLists, reach.introspectionLists);
    }
    return { depth, introspectionLists };
  };

  const fragmentReach = (name: string): Reach => {
    const done = known.get(name);
    if (done) return done;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) throw new CannotCompute(`fragment ${name}`);
    measuring.add(name);
    const reach = reachOf(fragment.selectionSet, conditionType(schema, undefined, fragment.typeCondition));
    measuring.delete(name);
    known.set(name, reach);
    return reach;
  };

  return reachOf(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
}

/**
 * Whether the cost verdict can depend on the request's variables: a variable read by a directive (which
 * decides whether a selection runs), by `first` / `last`, or by any argument of a field whose cost is a
 * function of its arguments. Otherwise the verdict is the same for every request of the operation and is
 * computed once. Fragments are expanded, each looked at once; an unknown field or fragment counts as
 * depending (the verdict is then computed per request, and refuses what it cannot compute).
 */
export function costReadsVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): boolean {
  const fragments = fragmentsOf(document);
  const seen = new Set<string>();
  const readsVariable = (node: { directives?: readonly DirectiveNode[] }) =>
    node.directives?.some((d) => d.arguments?.some((a) => containsVariable(a.value))) ?? false;

  const reads = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): boolean =>
    selectionSet.selections.some((selection) => {
      if (readsVariable(selection)) return true;
      if (selection.kind === Kind.FIELD) {
        const field = fieldDefinition(schema, parent, selection);
        if (!field) return true;
        const costFromArguments = typeof field.extensions?.complexity === 'function';
        const argumentRead = selection.arguments?.some(
          (a) => (costFromArguments || PAGE_ARGUMENTS.has(a.name.value)) && containsVariable(a.value),
        );
        if (argumentRead) return true;
        return !!selection.selectionSet && reads(selection.selectionSet, getNamedType(field.type));
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        return reads(selection.selectionSet, conditionType(schema, parent, selection.typeCondition));
      }
      const name = selection.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const fragment = fragments.get(name);
      if (!fragment) return true;
      return (
        readsVariable(fragment) ||
        reads(fragment.selectionSet, conditionType(schema, undefined, fragment.typeCondition))
      );
    });

  return (
    readsVariable(operation) ||
    reads(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined)
  );
}

export interface CostVerdict {
  complexity: number;
  /** `first` / `last` outside PAGE_SIZE, with the field they were given to */
  problems: Problem[];
}

type Variables = Record<string, unknown>;

const PAGE_ARGUMENTS = new Set(['first', 'last']);

function containsVariable(value: ValueNode): boolean {
  let found = false;
  visit(value, {
    Variable() {
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * Whether a selection runs. With variables that did not coerce (`variables` null) a condition read from
 * them is unknown and the selection is counted: the verdict is then an upper bound.
 */
function included(node: { directives?: readonly DirectiveNode[] }, variables: Variables | null): boolean {
  if (!node.directives?.length) return true;
  const condition = (directive: typeof GraphQLSkipDirective): boolean | undefined => {
    const found = node.directives?.find((d) => d.name.value === directive.name);
    if (!found) return undefined;
    try {
      if (variables === null) {
        const value = found.arguments?.find((a) => a.name.value === 'if')?.value;
        if (!value || value.kind !== Kind.BOOLEAN) return undefined;
        return value.value;
      }
      const values = getDirectiveValues(directive, node as FieldNode, variables);
      return typeof values?.if === 'boolean' ? values.if : undefined;
    } catch {
      return undefined;
    }
  };
  return condition(GraphQLSkipDirective) !== true && condition(GraphQLIncludeDirective) !== false;
}

/**
 * A field's arguments as execution will see them. When they cannot be known (variables that did not
 * coerce, a null where none is allowed: execution refuses either) each one read from a variable is left
 * out, except `first` / `last`, which are taken at their maximum: an upper bound again.
 */
function argumentsOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Variables | null,
): Record<string, unknown> {
  if (variables !== null) {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      // execution answers this field with an error; estimate it as below
    }
  }
  const args: Record<string, unknown> = {};
  const given = new Map<string, ArgumentNode>((node.arguments ?? []).map((a) => [a.name.value, a]));
  for (const definition of field.args) {
    const argument = given.get(definition.name);
    if (!argument) {
      if (definition.defaultValue !== undefined) args[definition.name] = definition.defaultValue;
    } else if (containsVariable(argument.value)) {
      if (PAGE_ARGUMENTS.has(definition.name)) args[definition.name] = PAGE_SIZE.max;
    } else {
      const value = valueFromAST(argument.value, definition.type);
      if (value !== undefined) args[definition.name] = value;
    }
  }
  return args;
}

type ComplexityFunction = (options: {
  args: Record<string, unknown>;
  childComplexity: number;
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  type: GraphQLNamedType | undefined;
}) => unknown;

/**
 * A field's cost as graphql-query-complexity's fieldExtensionsEstimator + simpleEstimator count it (so
 * the configured limit keeps its meaning): the `complexity` option of a field when it has one (a number
 * added to its children's cost, or a function of args and children), else 1 + its children. A result
 * that is not a non-negative number cannot be trusted, so the query is refused.
 */
function fieldCost(
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  childComplexity: number,
  node: FieldNode,
  type: GraphQLNamedType | undefined,
): number {
  const option = field.extensions?.complexity as number | ComplexityFunction | undefined;
  let cost: unknown;
  if (typeof option === 'number') cost = option + childComplexity;
  else if (typeof option === 'function') cost = option({ args, childComplexity, field, node, type });
  else cost = 1 + childComplexity;
  if (typeof cost !== 'number' || Number.isNaN(cost) || cost < 0) {
    throw new CannotCompute(`cost of ${field.name}`);
  }
  return cost;
}

/**
 * Cost of an operation and its page sizes, in time linear in the document: a fragment's cost is computed
 * once per request (its arguments and conditions are the same wherever it is spread, the variables
 * being fixed) and added at each spread, so a fragment spread twice in each of 40 levels costs 80
 * lookups, not 2^40 walks. Selections under abstract types are summed rather than maximised per
 * possible type: never less than the real cost.
 *
 * `rawVariables` are the request's; if they do not coerce, execution will refuse them, but the verdict
 * is still computed (as an upper bound) so that nothing depends on that refusal.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Variables,
): CostVerdict {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables, {
    maxErrors: 1,
  });
  const variables = coerced.coerced ?? null;
  const fragments = fragmentsOf(document);
  const known = new Map<string, number>();
  const measuring = new Set<string>();
  const problems: Problem[] = [];

  /**
   * Records page sizes out of bounds, and returns the arguments to cost the field with: a refused size
   * taken at the maximum, so that the rest of the operation can still be costed and every problem named.
   */
  const checkPage = (node: FieldNode, args: Record<string, unknown>): Record<string, unknown> => {
    let costed = args;
    for (const name of PAGE_ARGUMENTS) {
      const value = args[name];
      if (value === undefined || value === null) continue;
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < PAGE_SIZE.min ||
        value > PAGE_SIZE.max
      ) {
        problems.push({
          code: 'INVALID_VALUE',
          path: `${(node.alias ?? node.name).value}.${name}`,
          message: `${name} must be between ${PAGE_SIZE.min} and ${PAGE_SIZE.max}`,
        });
        costed = { ...costed, [name]: PAGE_SIZE.max };
      }
    }
    return costed;
  };

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const field = fieldDefinition(schema, parent, selection);
        if (!field) throw new CannotCompute(`field ${selection.name.value}`);
        const args = checkPage(selection, argumentsOf(field, selection, variables));
        const child = selection.selectionSet ? costOf(selection.selectionSet, getNamedType(field.type)) : 0;
        total += fieldCost(field, args, child, selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(selection.selectionSet, conditionType(schema, parent, selection.typeCondition));
      } else {
        total += fragmentCost(selection.name.value);
      }
    }
    return total;
  };

  const fragmentCost = (name: string): number => {
    const done = known.get(name);
    if (done !== undefined) return done;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) throw new CannotCompute(`fragment ${name}`);
    measuring.add(name);
    const cost = costOf(fragment.selectionSet, conditionType(schema, undefined, fragment.typeCondition));
    measuring.delete(name);
    known.set(name, cost);
    return cost;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) throw new CannotCompute(`root of ${operation.operation}`);
  return { complexity: costOf(operation.selectionSet, root), problems };
}

/** Whether JSON nests objects and arrays deeper than `limit`, without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
