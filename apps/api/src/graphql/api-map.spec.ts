import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSchema, isObjectType } from 'graphql';

const ROOT = path.resolve(__dirname, '../../../..');
const schema = buildSchema(fs.readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));
const map = fs.readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');

/** The rows of the table under a heading: each row's cells, the header and divider left out. */
function table(heading: string): string[][] {
  const section = map.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}
const quoted = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe('docs/api.md: for every part of the API, the one file that computes it', () => {
  const operations = table('Operations');
  const types = table('Types');

  it('names every query, mutation and subscription of the schema, once', () => {
    const named = operations.map(([operation]) => quoted(operation)[0]);
    const roots = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!].flatMap(
      (t) => Object.keys(t.getFields()),
    );
    for (const field of roots) expect(named.filter((n) => n === field)).toEqual([field]);
  });

  it('names every object type of the schema', () => {
    const named = new Set(types.flatMap(([type]) => quoted(type)));
    const objectTypes = Object.values(schema.getTypeMap())
      .filter(
        (t) =>
          isObjectType(t) &&
          !t.name.startsWith('__') &&
          !['Query', 'Mutation', 'Subscription'].includes(t.name),
      )
      .map((t) => t.name);
    expect(objectTypes.filter((t) => !named.has(t))).toEqual([]);
  });

  it('points only at files that exist', () => {
    const files = [...operations, ...types].map(([, file]) => quoted(file)[0]);
    expect(files.filter((file) => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
  });
});
