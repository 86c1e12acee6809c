import {
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { BoundedDocumentStore, estimatedHeapBytes } from './document-store';

const edit = (n: number, actual = String(n)) =>
  parse(
    `mutation { updateIndicator(id: "f-${n}.2021", expectedVersion: ${n}, rowId: "r1", input: { actual: "${actual}" }) { version } }`,
  );

describe('document store', () => {
  it('keeps at most maxEntries documents, the least recently used going first', async () => {
    const store = new BoundedDocumentStore({ maxEntries: 3, maxBytes: 1024 * 1024 * 1024 });
    for (const n of [1, 2, 3]) await store.set(`k${n}`, edit(n));
    expect(await store.get('k1')).toBeDefined(); // k1 is now the most recent
    await store.set('k4', edit(4));
    expect(store.size).toBe(3);
    expect(await store.get('k2')).toBeUndefined();
    expect(await store.get('k1')).toBeDefined();
    expect(await store.get('k4')).toBeDefined();
  });

  it('keeps at most maxBytes of estimated heap, and its total follows sets, replacements and deletes', async () => {
    const one = estimatedHeapBytes(edit(1));
    const store = new BoundedDocumentStore({ maxEntries: 1_000, maxBytes: one * 20.5 });
    for (let n = 1; n <= 100; n++) await store.set(`k${n}`, edit(n));
    expect(store.bytes).toBeLessThanOrEqual(one * 20.5);
    expect(store.size).toBe(20);
    await store.set('k100', edit(100)); // the same key again: replaced, not counted twice
    expect(store.size).toBe(20);
    expect(await store.delete('k100')).toBe(true);
    expect(await store.delete('k100')).toBe(false);
    expect(store.size).toBe(19);
    let sum = 0;
    for (let n = 81; n <= 99; n++) sum += estimatedHeapBytes(edit(n));
    expect(store.bytes).toBe(sum);
  });

  it('does not keep one document that would take a sixteenth of the budget', async () => {
    const store = new BoundedDocumentStore({ maxEntries: 1_000, maxBytes: 1024 * 1024 });
    await store.set('small', edit(1));
    await store.set('huge', edit(2, 'x'.repeat(100_000)));
    expect(await store.get('huge')).toBeUndefined();
    expect(await store.get('small')).toBeDefined();
  });

  it('weighs a document by what it holds: nodes, tokens, text, and a compiled query for queries', () => {
    const small = estimatedHeapBytes(edit(1));
    // Measured: an inline edit like this one holds ~9 KB once parsed (its JSON is ~2 KB).
    expect(small).toBeGreaterThan(8_000);
    expect(small).toBeLessThan(12_000);
    const fields = (n: number) => parse(`{ evaluation(id: "x") { ${'id '.repeat(n)} } }`);
    // Each `id` is a field and a name node and a token (measured ~510 bytes), and a query's share for its
    // compiled form comes on top.
    const perField = (estimatedHeapBytes(fields(200)) - estimatedHeapBytes(fields(100))) / 100;
    expect(perField).toBeGreaterThan(500 * 4);
    expect(perField).toBeLessThan(600 * 4);
    // Chinese text takes two bytes a character in V8's heap (the whole text then does), Latin text one.
    const chinese = estimatedHeapBytes(edit(1, '改'.repeat(10_000)));
    const latin = estimatedHeapBytes(edit(1, 'a'.repeat(10_000)));
    expect(chinese - latin).toBeGreaterThanOrEqual(20_000);
    expect(chinese - latin).toBeLessThan(20_500);
    // The same selection as a query: a compiled query may come with it.
    const asQuery = parse('{ evaluation(id: "f-1.2021") { version } }');
    const asMutation = parse('mutation { evaluation(id: "f-1.2021") { version } }');
    const ratio = estimatedHeapBytes(asQuery) / estimatedHeapBytes(asMutation);
    expect(ratio).toBeGreaterThan(3.9); // the word `mutation` is a token and characters more
    expect(ratio).toBeLessThanOrEqual(4);
  });

  it('estimates documents nested deeper than the call stack allows', () => {
    // Built by hand: graphql-js's parser itself stops far sooner.
    let value: ValueNode = { kind: Kind.INT, value: '1' };
    for (let i = 0; i < 100_000; i++) value = { kind: Kind.LIST, values: [value] };
    const deep = parse('{ a(x: 1) }') as { definitions: readonly OperationDefinitionNode[] };
    const field = deep.definitions[0].selectionSet.selections[0] as FieldNode;
    const document = {
      kind: Kind.DOCUMENT,
      definitions: [
        {
          ...deep.definitions[0],
          selectionSet: {
            kind: Kind.SELECTION_SET,
            selections: [{ ...field, arguments: [{ ...field.arguments![0], value }] }],
          },
        },
      ],
    } as DocumentNode;
    expect(estimatedHeapBytes(document)).toBeGreaterThan(100_000 * 230);
  });
});
