import type { DocumentStore } from './apollo';
import { Kind, OperationTypeNode, type DocumentNode } from 'graphql';

/**
 * What Apollo keeps of the query texts it has parsed and validated, so a repeated text skips both.
 *
 * Apollo's own default weighs each document by the length of its JSON (30 MiB of it), which says little
 * about its heap: a parsed document keeps every node with its location and, through them, every token of
 * the text (none of which JSON shows), about four times the JSON. Clients that write values into the
 * query text make every request a new document, and that default then held some 135 MB of heap. This
 * store weighs documents by an estimate of their heap instead, and bounds both count and bytes.
 */
export interface DocumentStoreLimits {
  maxEntries: number;
  /** estimated heap bytes of the documents kept, and of the compiled queries they may carry */
  maxBytes: number;
}

export const DOCUMENT_STORE_LIMITS: DocumentStoreLimits = { maxEntries: 2_000, maxBytes: 24 * 1024 * 1024 };

/**
 * Heap per parsed node (the node, its Location, its arrays) and per token, fitted on graphql-js 16 under
 * Node 20 (`--expose-gc`, heap before and after parsing thousands of distinct documents: inline edits,
 * form pages, thousands of fields, aliases or list values, 40 nested fragments, long strings with and
 * without escapes, block strings): the estimate is 0-5 % above what was measured for each of them (long
 * strings without escapes up to 60 % above). The fixed share is the document, its Source, the key and the
 * entry here.
 */
const BYTES_PER_NODE = 230;
const BYTES_PER_TOKEN = 60;
const BYTES_PER_DOCUMENT = 1024;
/**
 * A query document used twice is compiled by graphql-jit (compiled-queries.ts), kept as long as the
 * document is: measured at 1 to 3 times the document's own heap. It is counted here, whether compiled yet
 * or not, so this store's budget bounds both.
 */
const COMPILED_QUERY_FACTOR = 3;

/** Bytes of a string in V8's heap: one per character unless one of them needs two. */
const stringBytes = (text: string) => text.length * (/[\u0100-\uffff]/.test(text) ? 2 : 1);

/** An estimate of the heap a parsed document holds (see BYTES_PER_NODE), with its compiled query if any. */
export function estimatedHeapBytes(document: DocumentNode): number {
  let nodes = 0;
  let strings = 0;
  // Iterative: a document may be nested deeper than the call stack allows.
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop() as Record<string, unknown>;
    nodes += 1;
    // A string with escapes is a new string, not a slice of the text: counted on top of the text. The
    // lexer builds it piece by piece (a tree of up to ~30 bytes per character); the regular expression in
    // stringBytes makes V8 flatten it, so what stays in the store is the flat string counted here.
    if (node.kind === Kind.STRING) strings += stringBytes(node.value as string);
    for (const key in node) {
      if (key === 'loc') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object') pending.push(item);
      } else if (value && typeof value === 'object' && 'kind' in value) {
        pending.push(value);
      }
    }
  }
  let tokens = 0;
  for (let token = document.loc?.startToken ?? null; token; token = token.next) tokens += 1;
  const text = document.loc ? stringBytes(document.loc.source.body) : 0;
  const parsed = BYTES_PER_DOCUMENT + nodes * BYTES_PER_NODE + tokens * BYTES_PER_TOKEN + text + strings;
  const query = document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.QUERY,
  );
  return query ? parsed * (1 + COMPILED_QUERY_FACTOR) : parsed;
}

/** Least recently used first out, by count and by estimated heap. */
export class BoundedDocumentStore implements DocumentStore {
  // A Map iterates in insertion order: a hit moves its entry to the end, so the first is the coldest.
  private readonly entries = new Map<string, { document: DocumentNode; bytes: number }>();
  private totalBytes = 0;

  constructor(readonly limits: DocumentStoreLimits = DOCUMENT_STORE_LIMITS) {}

  /** documents kept, and their estimated heap (tests and diagnostics) */
  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.document;
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    this.remove(key);
    const bytes = estimatedHeapBytes(document);
    // One huge text would push out many ordinary ones, and is rarely sent twice: parsed again if it is.
    if (bytes > this.limits.maxBytes / 16) return;
    this.entries.set(key, { document, bytes });
    this.totalBytes += bytes;
    for (const [coldest] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.totalBytes <= this.limits.maxBytes) break;
      this.remove(coldest);
    }
  }

  async delete(key: string): Promise<boolean> {
    return this.remove(key);
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
    return true;
  }
}
