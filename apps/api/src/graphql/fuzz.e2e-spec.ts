import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  buildSchema,
  getNamedType,
  isCompositeType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import request from 'supertest';
import type { Actor } from '@app/domain';
import { startTestApp, type TestApp } from '../testing/test-app';
import { EVALUATION_ID, actors, exampleDocument, seedExample } from '../testing/graphql-fixtures';

/**
 * Generated requests against the real service: documents built from the schema (schema.graphql) with
 * arguments as literals or variables, hostile scalars (decimals, strings, cursors, dates, JSON), broken
 * documents and malformed bodies, as anonymous callers, every role and bad tokens. Whatever is sent,
 * the answer is never a 5xx, never INTERNAL_SERVER_ERROR, never internal text, and never costs more
 * than the CPU budget.
 *
 * Reproducible: the seed is fixed and printed (FUZZ_SEED=… to replay another; FUZZ_SCALE=2 for twice
 * as many requests).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const CPU_BUDGET_MS = 50;

const INTERNAL_TEXT =
  /Maximum call stack|stacktrace|\n\s+at |\bat [\w$.<>[\]]+ \(|node_modules|\/work\/|\.[jt]s:\d+|\bsqlite|SQLITE_|\bSELECT\b[^"]*\bFROM\b|no such (table|column)|Internal server error|Cannot read propert|undefined is not|is not a function/i;

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../../../schema.graphql'), 'utf8'));

type Gen = fc.GeneratorValue;

const pick = <T>(g: Gen, items: readonly T[]): T => items[g(fc.nat, { max: items.length - 1 })];
// integers: fast-check biases doubles towards extremes (tiny values would make every chance true)
const chance = (g: Gen, p: number) => g(fc.integer, { min: 0, max: 999 }) < p * 1000;
/**
 * How often a generated document carries a deliberate mistake (wrong type, unknown name, missing
 * value): chosen per document, so that many documents are valid and reach the resolvers.
 */
let noise = 1;
const mistake = (g: Gen, p: number) => noise > 0 && chance(g, p * noise);

const some = <T>(g: Gen, items: readonly T[], max: number): T[] => {
  const count = g(fc.integer, { min: 1, max: Math.min(max, items.length) });
  // indices: fast-check compares a generator's arguments, and schema objects refer to one another
  const indices = g(fc.shuffledSubarray, [...items.keys()], { minLength: count, maxLength: count });
  return indices.map((i) => items[i]);
};

/** Words this spec looks for in answers as signs of internal text are never sent, so never echoed. */
const NASTY_STRINGS = [
  '',
  ' ',
  "' OR 1=1 --",
  "'; DROP TABLE events; --",
  '"; DELETE FROM x; --',
  '\u0000',
  '\u202e\u200b',
  '%s%s%n',
  '${process.env}',
  '{{7*7}}',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x","y")',
  '\\',
  '"',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  '字'.repeat(10_001),
  'a'.repeat(300),
  '\ud800',
  '😀'.repeat(50),
];
const IDS = [
  EVALUATION_ID,
  'wangcheng',
  'wangcheng-shzlfwzx',
  'wangcheng-other',
  'yuelu',
  'x',
  'wangcheng-shzlfwzx.2022',
];

const arbString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...IDS) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
);

const arbDecimal = fc.oneof(
  fc.constantFrom(
    '98.35',
    '0',
    '-0',
    '0.00',
    '-0.001',
    '100',
    '100.01',
    '1e2',
    '1e309',
    '-1e309',
    'Infinity',
    '１２.５',
    '1,000.00',
    ' 12 ',
    '12.',
    '.5',
    '0x1F',
    '9'.repeat(400),
    '1.' + '0'.repeat(300) + '1',
    'abc',
  ),
  fc.double().map((d) => (Number.isFinite(d) ? String(d) : 'NaN')),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer().map(String),
  fc.stringMatching(/^-?\d{0,20}(\.\d{0,6})?$/),
);

const arbInt = fc.oneof(
  fc.constantFrom(0, 1, -1, 2, 20, 99, 100, 101, 200, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53)),
  fc.integer({ min: -5, max: 120 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const arbDate = fc.oneof(
  fc.constantFrom(
    '2021-12-31T23:59:59+08:00',
    '2022-03-31T23:59:59Z',
    '2021-02-30T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '2021-12-31',
    'yesterday',
    '',
    '+275760-09-13T00:00:00Z',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer(),
);

/** Cursors as they are made (base64url of "version:7", "seq:3", or a sort key and id), and broken. */
const arbCursor = (known: string[]) =>
  fc.oneof(
    fc.constantFrom(...(known.length ? known : ['x'])),
    fc
      .constantFrom('version:3', 'version:-1', 'version:1e308', 'version:abc', 'seq:9', 'seq:-9', 'seq:1e999')
      .map((s) => Buffer.from(s).toString('base64url')),
    fc.string({ maxLength: 60, unit: 'binary' }).map((s) => Buffer.from(s).toString('base64url')),
    fc.json({ maxDepth: 2 }).map((s) => Buffer.from(s).toString('base64url')),
    arbString,
    fc.constantFrom(...known.map((c) => c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A')), 'AAAA'),
  );

const arbJson = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        path: fc.constantFrom(
          'year',
          'documentVersion',
          'district',
          'funding',
          'indicators',
          'department',
          'extra',
        ),
        value: fc.jsonValue({ maxDepth: 3 }),
      })
      .map(({ path: key, value }) => ({ ...exampleDocument(), [key]: value })),
  },
  { weight: 1, arbitrary: fc.constant(exampleDocument()) },
);

/** A JavaScript value meant for an input type: usually of that type, sometimes anything at all. */
function inputValue(g: Gen, type: GraphQLInputType, cursors: string[], depth = 0, required = false): unknown {
  if (mistake(g, 0.04)) return g(fc.jsonValue, { maxDepth: 2 });
  if (type instanceof GraphQLNonNull) {
    return mistake(g, 0.03) ? null : inputValue(g, type.ofType, cursors, depth, true);
  }
  if (!required && chance(g, 0.05)) return null;
  if (type instanceof GraphQLList) {
    if (mistake(g, 0.1)) return inputValue(g, type.ofType, cursors, depth);
    return Array.from({ length: g(fc.integer, { min: 0, max: 3 }) }, () =>
      inputValue(g, type.ofType, cursors, depth + 1),
    );
  }
  if (type instanceof GraphQLEnumType) {
    return mistake(g, 0.15) ? g(() => arbString) : pick(g, type.getValues()).name;
  }
  if (type instanceof GraphQLInputObjectType) {
    const fields = Object.values(type.getFields());
    const value: Record<string, unknown> = {};
    for (const field of fields) {
      if (field.type instanceof GraphQLNonNull || chance(g, 0.5) || depth > 3) {
        value[field.name] = inputValue(g, field.type, cursors, depth + 1);
      }
    }
    if (mistake(g, 0.05)) value[g(() => fc.constantFrom('colour', 'id', '__proto__', 'x y'))] = 1;
    return value;
  }
  switch (type.name) {
    case 'Int':
      return mistake(g, 0.3) ? g(() => arbInt) : g(fc.integer, { min: -2, max: 120 });
    case 'Float':
      return g(fc.double, { noNaN: true, noDefaultInfinity: true });
    case 'Boolean':
      return mistake(g, 0.1) ? g(() => arbString) : g(fc.boolean);
    case 'Decimal':
      return g(() => arbDecimal);
    case 'DateTime':
      return g(() => arbDate);
    case 'JSON':
      return g(() => arbJson);
    case 'ID':
    case 'String':
      return g(() => arbString);
    default:
      return g(() => arbString);
  }
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A value as GraphQL literal text (enum names bare when they are names, invalid keys renamed). */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const named = type && getNamedType(type);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const item = type && (type instanceof GraphQLNonNull ? type.ofType : type);
    const of = item instanceof GraphQLList ? item.ofType : item;
    return `[${value.map((v) => literal(v, of)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = named instanceof GraphQLInputObjectType ? named.getFields() : {};
    return `{ ${Object.entries(value)
      .map(([k, v], i) => `${NAME.test(k) ? k : `k${i}`}: ${literal(v, fields[k]?.type)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string' && named instanceof GraphQLEnumType && NAME.test(value)) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

interface Built {
  query: string;
  variables: unknown;
  operationName?: string;
}

/** A document over the real schema, with arguments inline or as variables, fragments and directives. */
function operation(g: Gen, cursors: string[]): Built {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const fragments: string[] = [];
  let names = 0;

  const argument = (name: string, type: GraphQLInputType): string => {
    const value =
      name === 'after' && chance(g, 0.7) ? g(() => arbCursor(cursors)) : inputValue(g, type, cursors);
    if (chance(g, 0.4)) {
      const variable = `v${++names}`;
      const declared = mistake(g, 0.05)
        ? pick(g, ['String', 'Int!', '[Int]', 'JSON', 'Decimal!'])
        : String(type);
      definitions.push(`$${variable}: ${declared}`);
      if (!mistake(g, 0.05)) variables[variable] = value;
      return `${name}: $${variable}`;
    }
    return `${name}: ${literal(value, type)}`;
  };

  const field = (f: GraphQLField<unknown, unknown>, depth: number, spread: boolean): string => {
    const alias = chance(g, 0.1) ? `a${++names}: ` : '';
    const args = f.args
      .filter((a) => a.type instanceof GraphQLNonNull || chance(g, 0.6))
      .map((a) => argument(a.name, a.type));
    if (mistake(g, 0.01))
      args.push(
        `${pick(g, ['first', 'bogus', 'id'])}: ${literal(
          g(() => arbInt),
          undefined,
        )}`,
      );
    let directive = '';
    if (chance(g, 0.05)) {
      let condition = pick(g, ['true', 'false']);
      if (chance(g, 0.5)) {
        condition = `$v${++names}`;
        definitions.push(`${condition}: Boolean!`);
        variables[condition.slice(1)] = mistake(g, 0.1) ? g(() => arbString) : g(fc.boolean);
      }
      directive = ` @${pick(g, ['include', 'skip'])}(if: ${condition})`;
    }
    const type = getNamedType(f.type);
    const sub =
      isCompositeType(type) && !mistake(g, 0.01) ? ` { ${selection(type, depth + 1, spread)} }` : '';
    return `${alias}${f.name}${args.length ? `(${args.join(', ')})` : ''}${directive}${sub}`;
  };

  /**
   * `spread`: inside a fragment, whose fields merge with the enclosing selection's, so only fields
   * without arguments are chosen (the same field with other arguments would be a conflict).
   */
  const selection = (type: GraphQLNamedType, depth: number, spread = false): string => {
    if (!isObjectType(type)) return '__typename';
    const fields = Object.values((type as GraphQLObjectType).getFields());
    const chosen = depth > 4 ? fields.filter((f) => !isCompositeType(getNamedType(f.type))) : fields;
    const eligible = spread ? chosen.filter((f) => f.args.length === 0) : chosen;
    const parts = some(g, eligible.length ? eligible : fields, 4).map((f) => field(f, depth, spread));
    if (mistake(g, 0.05))
      parts.push(pick(g, ['__typename', 'nope', 'idd', '__schema { queryType { name } }']));
    if (depth > 5) return parts.join(' ');
    if (chance(g, 0.05)) parts.push(`... on ${type.name} { ${selection(type, depth + 1, true)} }`);
    if (chance(g, 0.05)) {
      const name = `F${++names}`;
      fragments.push(`fragment ${name} on ${type.name} { ${selection(type, depth + 1, true)} }`);
      parts.push(`...${name}`);
    }
    return parts.join(' ');
  };

  noise = pick(g, [0, 0, 0, 0.3, 1]);
  const kind = mistake(g, 0.1) ? 'subscription' : pick(g, ['query', 'query', 'mutation']);
  const root = kind === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
  const body = some(g, Object.values(root.getFields()), 3)
    .map((f) => field(f, 1, false))
    .join(' ');
  const operationName = chance(g, 0.2) ? `Op${g(fc.nat, { max: 9 })}` : undefined;
  const head = `${kind}${operationName ? ` ${operationName}` : ''}${definitions.length ? `(${definitions.join(', ')})` : ''}`;
  return {
    query: `${head} { ${body} }${fragments.length ? `\n${fragments.join('\n')}` : ''}`,
    variables,
    operationName: chance(g, 0.8) ? operationName : pick(g, [undefined, 'Missing', '']),
  };
}

/** Mutations on the seeded form with hostile scalars, the likeliest to reach the domain's checks. */
function edit(g: Gen, current: number): Built {
  // mostly the version last seen, so that edits get past the version check to the domain's rules
  const version = chance(g, 0.7) ? current : g(fc.integer, { min: 0, max: current + 2 });
  const id = chance(g, 0.85) ? EVALUATION_ID : g(() => arbString);
  // some edits plausible throughout, so that the form moves on and later states are reached
  const tame = chance(g, 0.4);
  const text = () =>
    tame ? pick(g, ['完成', '达标', '5-20', '≥90%', '2021年12月前', '无']) : g(() => arbString);
  const decimal = () => (tame ? pick(g, ['98.35', '100', '0', '12.5', '1000', '3']) : g(() => arbDecimal));
  const choices: Array<() => Built> = [
    () => ({
      query: `mutation($i: UpdateFundingInput!) { updateFunding(id: ${JSON.stringify(id)}, expectedVersion: ${version}, input: $i) { version score { total } } }`,
      variables: {
        i: {
          weight: decimal(),
          lines: Array.from({ length: g(fc.integer, { min: 0, max: 3 }) }, () => ({
            source: text(),
            budget: decimal(),
            executed: decimal(),
            upperTransfer: decimal(),
            ...(chance(g, 0.3) ? { initialBudget: decimal() } : {}),
            ...(chance(g, 0.3) ? { id: pick(g, ['l1', 'l2', 'nope', '']) } : {}),
          })),
        },
      },
    }),
    () => ({
      query: `mutation($i: IndicatorInput!, $r: ID!) { updateIndicator(id: ${JSON.stringify(id)}, expectedVersion: ${version}, rowId: $r, input: $i) { version indicators { id score suggestion { score path derivation } } } }`,
      variables: {
        r: pick(g, ['r1', 'r2', 'r17', 'nope', '']),
        i: {
          ...(chance(g, 0.6) ? { score: decimal() } : {}),
          ...(chance(g, 0.6) ? { weight: decimal() } : {}),
          ...(chance(g, 0.5) ? { target: text(), actual: text() } : {}),
          ...(chance(g, 0.2)
            ? { polarity: pick(g, ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER', 'SIDEWAYS']) }
            : {}),
          ...(chance(g, 0.2)
            ? { qualitativeLevel: pick(g, ['ACHIEVED', 'PARTLY_ACHIEVED', 'NOPE', null]) }
            : {}),
        },
      },
    }),
    () => ({
      query: `mutation { addIndicator(id: ${JSON.stringify(id)}, expectedVersion: ${version}, index: ${literal(
        g(() => arbInt),
        undefined,
      )}, input: ${literal({ level1: text(), content: text(), target: text(), actual: text(), weight: decimal() }, schema.getType('IndicatorInput') as GraphQLInputType)}) { version } }`,
      variables: {},
    }),
    () => ({
      query: `mutation($t: Decimal, $r: String, $c: String) { approveEvaluation(id: ${JSON.stringify(id)}, expectedVersion: ${version}, adjustedTotal: $t, adjustmentReason: $r, comment: $c) { state score { finalTotal } } }`,
      variables: { t: decimal(), r: text(), c: text() },
    }),
    () => ({
      query: `mutation($n: UpdateNarrativeInput!) { updateNarrative(id: ${JSON.stringify(id)}, expectedVersion: ${version}, input: $n) { version functions } }`,
      variables: {
        n: {
          functions: text(),
          goals: { planned: text(), achieved: text() },
          independentAccountingUnits: g(() => arbInt),
        },
      },
    }),
    () => ({
      query: `mutation($d: JSON!) { importEvaluation(document: $d) { id version } }`,
      variables: { d: g(() => arbJson) },
    }),
    () => ({
      query: `mutation { ${pick(g, ['submitEvaluation', 'withdrawEvaluation'])}(id: ${JSON.stringify(id)}, expectedVersion: ${version}) { state } }`,
      variables: {},
    }),
    () => ({
      query: `mutation($c: String!) { ${pick(g, ['returnEvaluation(comment: $c', 'reopenEvaluation(reason: $c'])}, id: ${JSON.stringify(id)}, expectedVersion: ${version}) { state } }`,
      variables: { c: text() },
    }),
    () => ({
      query: `mutation($i: OpenCycleInput!) { openCycle(input: $i) { id deadline } }`,
      variables: {
        i: {
          districtCode: pick(g, ['wangcheng', 'yuelu', text()]),
          year: g(() => arbInt),
          deadline: g(() => arbDate),
        },
      },
    }),
    () => ({
      query: `query($id: ID!, $at: DateTime, $v: Int, $f: Int!, $t: Int!) { evaluationAt(id: $id, at: $at, version: $v) { version } evaluationDiff(id: $id, fromVersion: $f, toVersion: $t) { path before after } }`,
      variables: { id, at: g(() => arbDate), v: g(() => arbInt), f: g(() => arbInt), t: g(() => arbInt) },
    }),
  ];
  return pick(g, choices)();
}

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '@',
  '...',
  '!',
  '=',
  '|',
  '&',
  ',',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'evaluation',
  'evaluations',
  'edges',
  'node',
  'id',
  '__typename',
  '__schema',
  'first',
  '"s"',
  '"""b"""',
  '"unterminated',
  '1',
  '-1',
  '1.5e3',
  '0x1',
  'true',
  'null',
  '#c\n',
  'x',
  '$v',
  '@include',
  'Int',
  '\u00a0',
];

/** Documents that are not quite GraphQL: token soup, truncations and mutations of real ones, noise. */
function brokenDocument(g: Gen, cursors: string[]): Built {
  const valid = () => operation(g, cursors).query;
  const shapes: Array<() => string> = [
    () => g(fc.array, fc.constantFrom(...TOKENS), { maxLength: 200 }).join(' '),
    () => {
      const text = valid();
      return text.slice(0, g(fc.nat, { max: text.length }));
    },
    () => {
      const chars = [...valid()];
      for (let i = g(fc.integer, { min: 1, max: 5 }); i > 0; i--) {
        chars[g(fc.nat, { max: chars.length - 1 })] = pick(g, [
          '{',
          '}',
          '"',
          '(',
          ':',
          ' ',
          '\\',
          '$',
          '#',
          '\u0000',
        ]);
      }
      return chars.join('');
    },
    () => g(fc.string, { maxLength: 400, unit: 'binary' }),
    () => {
      const open = pick(g, ['{', '[', '(', '{a:', 'a{', '"', '[{a:']);
      const n = g(fc.integer, { min: 1, max: 3000 });
      return `{ f(x: ${open.repeat(n)}`.slice(0, 10_000);
    },
    () => `query { evaluation(id: "${'\\u'.repeat(g(fc.integer, { min: 1, max: 100 }))}") { id } }`,
  ];
  return { query: pick(g, shapes)(), variables: g(fc.boolean) ? {} : g(fc.jsonValue, { maxDepth: 2 }) };
}

interface RawRequest {
  method: 'POST' | 'GET';
  contentType: string | null;
  body?: string;
  query?: string;
}

/** Bodies Apollo or the body parser must refuse: wrong shapes, batches, wrong content types, GET. */
function malformedBody(g: Gen, cursors: string[]): RawRequest {
  const json = (max = 3) => g(fc.jsonValue, { maxDepth: max });
  const shapes: Array<() => RawRequest> = [
    () => ({ method: 'POST', contentType: 'application/json', body: JSON.stringify(json()) }),
    () => ({
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify({
        ...(chance(g, 0.7) ? { query: chance(g, 0.5) ? operation(g, cursors).query : json(2) } : {}),
        ...(chance(g, 0.5) ? { variables: json(2) } : {}),
        ...(chance(g, 0.3) ? { operationName: json(1) } : {}),
        ...(chance(g, 0.3)
          ? {
              extensions: chance(g, 0.5)
                ? json(2)
                : { persistedQuery: { version: json(0), sha256Hash: json(0) } },
            }
          : {}),
      }),
    }),
    () => ({
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify([{ query: '{ __typename }' }, { query: operation(g, cursors).query }]),
    }),
    () => ({
      method: 'POST',
      contentType: 'application/json',
      body: g(fc.string, { maxLength: 200, unit: 'binary' }),
    }),
    () => ({
      method: 'POST',
      contentType: pick(g, [
        null,
        'text/plain',
        'application/graphql',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
      ]),
      body: JSON.stringify({ query: operation(g, cursors).query }),
    }),
    () => ({ method: 'GET', contentType: null, query: operation(g, cursors).query }),
  ];
  return pick(g, shapes)();
}

type Caller = Actor | 'forged' | 'garbage' | null;
const CALLERS: Caller[] = [null, ...Object.values(actors), 'forged', 'garbage'];

interface Outcome {
  status: number;
  text: string;
  cpuMs: number;
}

describe('fuzzing the GraphQL endpoint', () => {
  let api: TestApp;
  let agent: http.Agent;
  /** the app listening once, reached over keep-alive connections (supertest would listen per request) */
  let base: string;
  const cursors: string[] = [];
  let sent = 0;
  /** the seeded form's version as last answered */
  let version = 1;
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};

  const authorization = (caller: Caller): string | undefined => {
    if (caller === null) return undefined;
    if (caller === 'garbage') return 'Bearer not.a.token';
    if (caller === 'forged') return `Bearer ${api.token(actors.admin).slice(0, -2)}xx`;
    return `Bearer ${api.token(caller)}`;
  };

  async function send(raw: RawRequest, caller: Caller): Promise<Outcome> {
    // the event loop's own CPU (the app runs on this thread), not the collector's helper threads
    const before = process.threadCpuUsage();
    let call =
      raw.method === 'GET'
        ? request(base).get('/graphql').query({ query: raw.query }).set('apollo-require-preflight', 'true')
        : request(base).post('/graphql');
    call = call.agent(agent);
    if (raw.contentType) call.set('content-type', raw.contentType);
    const auth = authorization(caller);
    if (auth) call.set('authorization', auth);
    const response = raw.method === 'POST' ? await call.send(raw.body ?? '') : await call;
    const used = process.threadCpuUsage(before);
    sent += 1;
    return { status: response.status, text: response.text ?? '', cpuMs: (used.user + used.system) / 1000 };
  }

  /**
   * The answer to one request, checked. One over the CPU budget is sent up to three times more, as a
   * document Apollo has not cached, once the process is quiet; the least it cost counts.
   */
  async function check(raw: RawRequest, caller: Caller): Promise<void> {
    const outcome = await send(raw, caller);
    statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
    let body: { errors?: Array<{ extensions?: { code?: string } }> } | undefined;
    try {
      body = JSON.parse(outcome.text);
    } catch {
      body = undefined;
    }
    for (const answer of Object.values((body as { data?: Record<string, unknown> })?.data ?? {})) {
      const seen = (answer as { version?: unknown } | null)?.version;
      if (typeof seen === 'number' && seen > version) version = seen;
    }
    for (const error of body?.errors ?? []) {
      const current = (error?.extensions as { currentVersion?: unknown } | undefined)?.currentVersion;
      if (typeof current === 'number') version = current;
      const code = String(error?.extensions?.code);
      codes[code] = (codes[code] ?? 0) + 1;
    }
    const described = () =>
      `${raw.method} ${raw.contentType ?? ''} as ${typeof caller === 'object' && caller ? caller.id : caller}\n` +
      `request: ${(raw.body ?? raw.query ?? '').slice(0, 2_000)}\nanswer ${outcome.status}: ${outcome.text.slice(0, 2_000)}`;
    if (outcome.status >= 500) throw new Error(`5xx\n${described()}`);
    if (body?.errors?.some((e) => e?.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
      throw new Error(`INTERNAL_SERVER_ERROR\n${described()}`);
    }
    const leaked = INTERNAL_TEXT.exec(outcome.text);
    if (leaked) throw new Error(`internal text "${leaked[0]}"\n${described()}`);
    if (outcome.cpuMs > CPU_BUDGET_MS) {
      // The service's own background work (projections catching up on earlier edits, timers) runs in
      // this process too: measure again once it is quiet.
      const measures = [outcome.cpuMs];
      for (let i = 0; i < 3 && Math.min(...measures) > CPU_BUDGET_MS; i++) {
        await quiet();
        measures.push((await send(fresh(raw, i), caller)).cpuMs);
      }
      if (Math.min(...measures) > CPU_BUDGET_MS) {
        throw new Error(`${measures.map((m) => m.toFixed(1)).join(', ')} ms of CPU\n${described()}`);
      }
    }
  }

  /** Waits (at most 3 s) until the process spends under 10 % of a core on its own. */
  async function quiet(): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const before = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const used = process.cpuUsage(before);
      if ((used.user + used.system) / 1000 < 5) return;
    }
  }

  /** The same request as a document Apollo has not cached: a comment line first changes nothing else. */
  const fresh = (raw: RawRequest, i: number): RawRequest => {
    if (raw.method === 'GET') return { ...raw, query: `# again ${i}\n${raw.query}` };
    try {
      const parsed = JSON.parse(raw.body ?? '');
      if (parsed && typeof parsed.query === 'string') {
        return { ...raw, body: JSON.stringify({ ...parsed, query: `# again ${i}\n${parsed.query}` }) };
      }
    } catch {
      // not JSON: nothing is cached for it
    }
    return raw;
  };

  const asPost = (built: Built): RawRequest => ({
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify(built),
  });

  // No shrinking: a failure's message holds the whole request and answer already, and shrinking a long
  // run of generator draws is slow.
  const run = (name: string, runs: number, make: (g: Gen) => RawRequest, callers = CALLERS) =>
    it(
      `${name} (${Math.round(runs * SCALE)} requests)`,
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.noShrink(fc.gen()), fc.constantFrom(...callers), async (g, caller) =>
            check(make(g), caller),
          ),
          { seed: SEED, numRuns: Math.round(runs * SCALE) },
        );
        // about 15 ms a request here; room for a slow, shared machine
      },
      runs * SCALE * 150,
    );

  // jest keeps 100 frames in every stack trace (Node keeps 10), which makes each error object several
  // times dearer than in the service; the budget is for the service.
  const jestStackTraceLimit = Error.stackTraceLimit;

  beforeAll(async () => {
    Error.stackTraceLimit = 10;
    process.stdout.write(`GraphQL fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})\n`);
    api = await startTestApp();
    const server: http.Server = api.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await seedExample(api);
    // Real cursors, so that valid and tampered ones are both tried.
    const list = await api.gql('{ evaluations(first: 1) { edges { cursor } } }', {}, actors.supervisor);
    const history = await api.gql(
      `{ evaluationHistory(id: "${EVALUATION_ID}", first: 5) { edges { cursor } } }`,
      {},
      actors.auditor,
    );
    for (const edge of [
      ...(list.body.data?.evaluations?.edges ?? []),
      ...(history.body.data?.evaluationHistory?.edges ?? []),
    ]) {
      cursors.push(edge.cursor);
    }
  });

  afterAll(async () => {
    process.stdout.write(
      `GraphQL fuzz seed ${SEED}: ${sent} requests; the seeded form at version ${version}; statuses ${JSON.stringify(statuses)}; codes ${JSON.stringify(codes)}\n`,
    );
    agent?.destroy();
    await api?.close();
    Error.stackTraceLimit = jestStackTraceLimit;
  });

  run('documents built from the schema, arguments inline or as variables', 800, (g) =>
    asPost(operation(g, cursors)),
  );
  run(
    'edits of the seeded form with hostile decimals, strings, dates and documents',
    600,
    (g) => asPost(edit(g, version)),
    [actors.clerk, actors.clerk, actors.clerk, actors.supervisor, actors.supervisor, ...CALLERS],
  );
  run('broken documents', 400, (g) => asPost(brokenDocument(g, cursors)));
  run('malformed bodies, batches, content types and GET', 300, (g) => malformedBody(g, cursors));

  it('sent at least 2,000 requests', () => {
    expect(sent).toBeGreaterThanOrEqual(2_000 * SCALE);
  });
});
