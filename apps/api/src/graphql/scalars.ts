import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const bad = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * Decimals travel as strings ("98.35"); numbers are accepted on input. The exact rules (places, range)
 * are the domain's, which reports them with the field's path.
 */
export const DecimalScalar = new GraphQLScalarType<string | number, string>({
  name: 'Decimal',
  description: 'A decimal number as a string, e.g. "98.35" (numbers are accepted on input)',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError('Decimal values are kept as strings');
    return value;
  },
  parseValue(value) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw bad('Decimal must be a string such as "98.35"');
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return ast.value;
    throw bad('Decimal must be a string such as "98.35"');
  },
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw bad('not a JSON value');
  }
}

/** An arbitrary JSON value (the interchange document of docs/interchange.md). */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'A JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});
