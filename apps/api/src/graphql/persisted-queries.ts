/** A key-value cache as Apollo's persisted queries use it (the interface of @apollo/utils.keyvaluecache). */
interface TextCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
}

export const PERSISTED_QUERY_LIMITS = { maxEntries: 2_000, maxBytes: 4 * 1024 * 1024 };

/**
 * The query texts clients register under their hash (automatic persisted queries). Anyone may register
 * one, token or not, so the store is bounded by count as well as size: Apollo's default counts only
 * characters (30 Mi of them), and a flood of tiny distinct queries (≈ 250 B of heap each) would hold
 * hundreds of megabytes. Least recently used first out; a text over the whole budget is not kept.
 */
export class BoundedQueryTexts implements TextCache {
  private readonly texts = new Map<string, string>();
  private bytes = 0;

  constructor(readonly limits = PERSISTED_QUERY_LIMITS) {}

  get size(): number {
    return this.texts.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  async get(key: string): Promise<string | undefined> {
    const text = this.texts.get(key);
    if (text !== undefined) {
      this.texts.delete(key);
      this.texts.set(key, text);
    }
    return text;
  }

  async set(key: string, value: string): Promise<void> {
    await this.delete(key);
    const bytes = weight(key, value);
    if (bytes > this.limits.maxBytes) return;
    this.texts.set(key, value);
    this.bytes += bytes;
    for (const [oldest, text] of this.texts) {
      if (this.texts.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.texts.delete(oldest);
      this.bytes -= weight(oldest, text);
    }
  }

  async delete(key: string): Promise<boolean> {
    const text = this.texts.get(key);
    if (text === undefined) return false;
    this.texts.delete(key);
    this.bytes -= weight(key, text);
    return true;
  }
}

/** Heap of an entry: both strings at two bytes a character at worst, and the map's own share. */
const weight = (key: string, text: string) => 2 * (key.length + text.length) + 64;
