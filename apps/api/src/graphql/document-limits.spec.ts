import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  buildSchema,
  getIntrospectionQuery,
  parse,
  type GraphQLFieldConfigMap,
  type OperationDefinitionNode,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import {
  CannotCompute,
  DOCUMENT_LIMITS,
  costReadsVariables,
  measureDocument,
  nestsDeeperThan,
  operationCost,
  operationReach,
} from './document-limits';

const pageComplexity = ({ args, childComplexity }: { args: { first?: number }; childComplexity: number }) =>
  Math.min(args.first ?? 20, 100) * childComplexity;

const Node: GraphQLObjectType = new GraphQLObjectType({
  name: 'Node',
  fields: (): GraphQLFieldConfigMap<unknown, unknown> => ({
    id: { type: GraphQLString },
    child: { type: Node },
    children: {
      type: new GraphQLList(Node),
      args: { first: { type: GraphQLInt } },
      extensions: { complexity: pageComplexity },
    },
  }),
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      node: { type: Node },
      page: {
        type: new GraphQLList(Node),
        args: { first: { type: GraphQLInt }, last: { type: GraphQLInt } },
        extensions: { complexity: pageComplexity },
      },
      fixed: { type: Node, extensions: { complexity: 7 } },
      notANumber: { type: GraphQLInt, extensions: { complexity: () => NaN } },
      negative: { type: GraphQLInt, extensions: { complexity: () => -1_000_000 } },
      throws: {
        type: GraphQLInt,
        extensions: {
          complexity: () => {
            throw new Error('estimator failed');
          },
        },
      },
      ping: { type: GraphQLString },
      named: { type: Node, args: { name: { type: GraphQLString } } },
      weighed: {
        type: Node,
        args: { by: { type: GraphQLInt } },
        extensions: { complexity: ({ args }: { args: { by?: number } }) => args.by ?? 1 },
      },
    },
  }),
});

const operationOf = (document: ReturnType<typeof parse>) =>
  document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;

const cost = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return operationCost(schema, document, operationOf(document), variables);
};

/** Whether the cost verdict of the query's operation can depend on its variables. */
const differs = (query: string) => {
  const document = parse(query);
  return costReadsVariables(schema, document, operationOf(document));
};

const reach = (query: string, against: GraphQLSchema = schema) => {
  const document = parse(query);
  return operationReach(against, document, operationOf(document));
};

/**
 * CPU of `run` on this thread (process.threadCpuUsage: the collector's helper threads left out), the
 * least of five runs: one run on a loaded machine can still catch a collection. An exponential walk takes seconds at 20 levels,
 * so the least of five still tells linear from exponential.
 */
const cpuMs = (run: () => unknown) => {
  let least = Infinity;
  for (let i = 0; i < 5; i++) {
    const before = process.threadCpuUsage();
    run();
    const used = process.threadCpuUsage(before);
    least = Math.min(least, (used.user + used.system) / 1000);
  }
  return least;
};

/** Each level's fragment spreads the one below twice: 2^levels paths, levels + 1 fragments. */
function fanOut(
  levels: number,
  leaf: string,
  on = 'Query',
  twice = (spread: string) => `${spread} ${spread}`,
) {
  const fragments = [`fragment F${0} on ${on} { ${leaf} }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on ${on} { ${twice(`...F${i - 1}`)} }`);
  return fragments.join('\n');
}

describe('operation cost', () => {
  it('matches graphql-query-complexity on ordinary queries, so the configured limit keeps its meaning', () => {
    const queries = [
      '{ ping }',
      '{ page(first: 10) { id child { id } } }',
      '{ page { id } fixed { id child { id } } }',
      '{ a: page(first: 3) { children(first: 4) { id } } b: node { ...N } } fragment N on Node { id child { id } }',
      'query($n: Int) { page(first: $n) { id } }',
      '{ page(first: 5) { ... on Node { id } } }',
    ];
    for (const query of queries) {
      const expected = getComplexity({
        schema,
        query: parse(query),
        variables: { n: 7 },
        estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      });
      expect({ query, complexity: cost(query, { n: 7 }).complexity }).toEqual({
        query,
        complexity: expected,
      });
    }
  });

  it.each([10, 20, 30, 40])(
    'is linear in the document: %i levels of fragments spread twice are costed in milliseconds',
    (levels) => {
      const document = parse(`{ ...F${levels} }\n${fanOut(levels, 'page(first: 100) { id }')}`);
      let complexity = 0;
      const used = cpuMs(
        () => (complexity = operationCost(schema, document, operationOf(document), {}).complexity),
      );
      // 2^levels spreads of a fragment costing 100 × (1 id) = 100
      expect(complexity).toBe(2 ** levels * 100);
      expect(used).toBeLessThan(20);
    },
  );

  it('takes each page size from the variables, or at its maximum when the variables do not coerce', () => {
    expect(cost('query($n: Int) { page(first: $n) { id } }', { n: 3 }).complexity).toBe(3);
    expect(cost('query($n: Int) { page(first: $n) { id } }', {}).complexity).toBe(20);
    // execution refuses "x" for an Int; until then the cost is an upper bound
    expect(cost('query($n: Int, $s: Int) { page(first: $n) { id } }', { n: 5, s: 'x' }).complexity).toBe(100);
  });

  it('counts what @skip / @include leave in, and anything they cannot be known to leave out', () => {
    expect(cost('{ page(first: 100) @skip(if: true) { id } ping }').complexity).toBe(1);
    expect(
      cost('query($s: Boolean!) { page(first: 100) @skip(if: $s) { id } ping }', { s: true }).complexity,
    ).toBe(1);
    expect(
      cost('query($s: Boolean!) { page(first: 100) @include(if: $s) { id } ping }', { s: 'nope' }).complexity,
    ).toBe(101);
  });

  it('names every first / last outside 1..100, literal or from variables, and still costs the rest', () => {
    const verdict = cost(
      'query($n: Int) { a: page(first: 0) { id } b: page(last: -5) { id } c: page(first: $n) { id } d: page(first: 100) { id } }',
      { n: 101 },
    );
    expect(verdict.problems.map((p) => p.path)).toEqual(['a.first', 'b.last', 'c.first']);
    expect(verdict.problems.every((p) => p.code === 'INVALID_VALUE')).toBe(true);
    // the refused sizes are costed at 100; `last` does not change this schema's estimate (first ?? 20)
    expect(verdict.complexity).toBe(100 + 20 + 100 + 100);
    expect(cost('{ page(first: 1) { id } }').problems).toEqual([]);
  });

  it('fails closed: a cost that is not a non-negative number, or an estimator that throws, is not a cost', () => {
    expect(() => cost('{ notANumber }')).toThrow(CannotCompute);
    expect(() => cost('{ negative ping }')).toThrow(CannotCompute);
    expect(() => cost('{ throws }')).toThrow('estimator failed');
  });

  it('refuses a fragment cycle (validation refuses those first) instead of looping', () => {
    const cyclic = '{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { id ...A }';
    expect(() => cost(cyclic)).toThrow(CannotCompute);
    expect(() => reach(cyclic)).toThrow(CannotCompute);
    expect(() => cost('{ ...Missing }')).toThrow(CannotCompute);
  });
});

describe('operation depth', () => {
  it('expands fragments, counting each once: 40 levels of two spreads are measured in milliseconds', () => {
    const document = parse(
      `{ node { ...F40 } }\n${fanOut(40, 'id', 'Node', (spread) => `child { ${spread} } again: child { ${spread} }`)}`,
    );
    let depth = 0;
    const used = cpuMs(() => (depth = operationReach(schema, document, operationOf(document)).depth));
    expect(depth).toBe(42);
    expect(used).toBeLessThan(20);
  });

  it('counts the nesting of the schema’s own lists, so introspection cannot multiply them', () => {
    const real = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../../../schema.graphql'), 'utf8'));
    const standard = reach(getIntrospectionQuery(), real);
    expect(standard.depth).toBeLessThanOrEqual(DOCUMENT_LIMITS.introspectionMaxDepth);
    expect(standard.introspectionLists).toBe(DOCUMENT_LIMITS.introspectionMaxListNesting);
    expect(
      reach('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }', real)
        .introspectionLists,
    ).toBe(4);
  });
});

describe('the document as written', () => {
  const measure = (query: string) => measureDocument(parse(query), DOCUMENT_LIMITS).refusal;
  const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

  it('passes ordinary documents; whether their cost can depend on variables is the schema-aware walk', () => {
    expect(measureDocument(parse('{ page(first: 3) { id } }'), DOCUMENT_LIMITS)).toEqual({ refusal: null });
    expect(differs('{ page(first: 3) { id } }')).toBe(false);
    expect(measureDocument(parse('query($n: Int = 3) { page(first: $n) { id } }'), DOCUMENT_LIMITS)).toEqual({
      refusal: null,
    });
    expect(differs('query($n: Int = 3) { page(first: $n) { id } }')).toBe(true);
    // defined, never read
    expect(differs('query($n: Int = 3) { page { id } }')).toBe(false);
  });

  it.each([
    [
      'fields',
      `{ node { ${repeat(26, (i) => `...F${i}`)} } } ${repeat(26, (i) => `fragment F${i} on Node { ${'id '.repeat(10)}}`)}`,
      'QUERY_TOO_LARGE',
      'more than 250 fields',
    ],
    [
      'aliases',
      `{ ${repeat(DOCUMENT_LIMITS.maxAliases + 1, (i) => `a${i}: ping`)} }`,
      'QUERY_TOO_LARGE',
      `more than ${DOCUMENT_LIMITS.maxAliases} aliases`,
    ],
    [
      'of one response name',
      `{ ${repeat(11, () => 'ping')} }`,
      'QUERY_TOO_LARGE',
      '"ping" more than 10 times',
    ],
    [
      'fragment definitions',
      `{ ping } ${repeat(31, (i) => `fragment F${i} on Query { ping }`)}`,
      'QUERY_TOO_LARGE',
      'more than 30 fragment definitions',
    ],
    [
      'fragment spreads',
      `{ ${repeat(101, () => '... on Query { ping }')} }`,
      'QUERY_TOO_LARGE',
      'more than 100 fragment spreads',
    ],
    [
      'directives',
      `{ ping ${'@include(if: true) '.repeat(51)}}`,
      'QUERY_TOO_LARGE',
      'more than 50 directives',
    ],
    ['operations', repeat(11, (i) => `query Q${i} { ping }`), 'QUERY_TOO_LARGE', 'more than 10 operations'],
    [
      'variables',
      `query(${repeat(51, (i) => `$v${i}: Int`)}) { ping }`,
      'QUERY_TOO_LARGE',
      'more than 50 variable definitions',
    ],
    [
      'selection nesting',
      `{ ${'node { child { '.repeat(16)} id ${'} } '.repeat(16)} }`,
      'QUERY_TOO_DEEP',
      'more than 32 deep',
    ],
    [
      'value nesting',
      `{ page(first: ${'['.repeat(33)}1${']'.repeat(33)}) { id } }`,
      'QUERY_TOO_DEEP',
      'more than 32 deep',
    ],
  ])('refuses more %s than allowed', (_what, query, code, message) => {
    const refusal = measure(query);
    expect(refusal?.code).toBe(code);
    expect(refusal?.message).toContain(message);
  });

  it('is refused at the limit, not below it', () => {
    expect(measure(`{ ${repeat(DOCUMENT_LIMITS.maxAliases, (i) => `a${i}: ping`)} }`)).toBeNull();
    expect(measure(`{ ${repeat(10, () => 'ping')} }`)).toBeNull();
    expect(measure(`{ page(first: ${'['.repeat(31)}1${']'.repeat(31)}) { id } }`)).toBeNull();
  });
});

describe('variables', () => {
  it('are measured without recursion, however deep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestsDeeperThan({ d: deep }, 32)).toBe(true);
    expect(nestsDeeperThan({ a: { b: [1, { c: 'x' }] }, n: null }, 32)).toBe(false);
    let exactly: unknown = 'leaf';
    for (let i = 0; i < 32; i++) exactly = { a: exactly };
    expect(nestsDeeperThan(exactly, 32)).toBe(false);
    expect(nestsDeeperThan({ a: exactly }, 32)).toBe(true);
  });
});

describe('whether the cost can differ per request', () => {
  it('does not when variables only feed arguments the cost ignores: computed once per operation', () => {
    expect(differs('query($n: String) { named(name: $n) { id } }')).toBe(false);
    expect(differs('query($n: String) { ...F ...F } fragment F on Query { named(name: $n) { id } }')).toBe(
      false,
    );
    expect(differs('{ page(first: 5) { id } }')).toBe(false);
  });

  it('does when a variable sets a page size, at any depth or through a fragment', () => {
    expect(differs('query($f: Int) { page(first: $f) { id } }')).toBe(true);
    expect(differs('query($l: Int) { page(last: $l) { id } }')).toBe(true);
    expect(differs('query($f: Int) { node { child { children(first: $f) { id } } } }')).toBe(true);
    expect(
      differs(
        'query($f: Int) { ...A } fragment A on Query { ...B } fragment B on Query { page(first: $f) { id } }',
      ),
    ).toBe(true);
    expect(differs('query($f: Int) { ... on Query { page(first: $f) { id } } }')).toBe(true);
  });

  it('does when a variable decides whether a selection runs, or feeds a cost computed from arguments', () => {
    expect(differs('query($s: Boolean!) { node @include(if: $s) { id } }')).toBe(true);
    expect(differs('query($s: Boolean!) { ...F @skip(if: $s) } fragment F on Query { ping }')).toBe(true);
    expect(differs('query($b: Int) { weighed(by: $b) { id } }')).toBe(true);
  });

  it('where it says not, every request gets the verdict computed without variables', () => {
    // The rule is kept beside operationCost by hand: this catches a cost that starts reading a variable
    // the rule does not know of.
    const documents = [
      'query($n: String) { named(name: $n) { id child { id } } }',
      'query($n: String = "x") { a: named(name: $n) { id } b: named(name: $n) { children(first: 3) { id } } }',
      'query($n: String) { ...F } fragment F on Query { named(name: $n) { id } fixed { id } }',
      'query($n: String!) { named(name: $n) { id } page(first: 500) { id } }',
      'query($f: Int) { page(first: $f) { id } }',
      'query($b: Int) { weighed(by: $b) { id } }',
      'query($s: Boolean!) { node @include(if: $s) { id } }',
    ];
    const variableSets = [
      {},
      { n: 'a', f: 5, b: 3, s: true },
      { n: null, f: 500, b: 4000, s: false },
      { n: 7, f: -1, b: 'x', s: 'yes' },
    ];
    const verdict = (document: ReturnType<typeof parse>, variables: Record<string, unknown>) => {
      try {
        return operationCost(schema, document, operationOf(document), variables);
      } catch (error) {
        return error instanceof CannotCompute ? 'cannot compute' : error;
      }
    };
    let fixed = 0;
    for (const text of documents) {
      const document = parse(text);
      if (costReadsVariables(schema, document, operationOf(document))) continue;
      fixed += 1;
      const once = verdict(document, {});
      for (const variables of variableSets) expect(verdict(document, variables)).toEqual(once);
    }
    expect(fixed).toBe(4);
    // and where it says so, the verdicts do differ
    const paged = parse('query($f: Int) { page(first: $f) { id } }');
    expect(verdict(paged, { f: 5 })).not.toEqual(verdict(paged, { f: 50 }));
  });

  it('does (computed per request, refused if it cannot be) for what it cannot resolve', () => {
    expect(differs('query($n: String) { nowhere(name: $n) }')).toBe(true);
    expect(differs('query($n: String) { ...Missing }')).toBe(true);
  });
});
