import { BoundedQueryTexts } from './persisted-queries';

describe('persisted query texts', () => {
  it('keep at most their count, the least recently used going first', async () => {
    const texts = new BoundedQueryTexts({ maxEntries: 3, maxBytes: 1 << 20 });
    for (const key of ['a', 'b', 'c']) await texts.set(key, `{ ${key} }`);
    await texts.get('a'); // used: 'b' is now the oldest
    await texts.set('d', '{ d }');
    expect(texts.size).toBe(3);
    expect([await texts.get('a'), await texts.get('b'), await texts.get('d')]).toEqual([
      '{ a }',
      undefined,
      '{ d }',
    ]);
  });

  it('keep at most their bytes, however many small texts arrive; a text over the budget is not kept', async () => {
    const texts = new BoundedQueryTexts({ maxEntries: 1_000_000, maxBytes: 10_000 });
    for (let i = 0; i < 10_000; i++) await texts.set(`hash-${i}`, `{ a${i}: __typename }`);
    expect(texts.totalBytes).toBeLessThanOrEqual(10_000);
    expect(texts.size).toBeGreaterThan(50);
    await texts.set('huge', 'x'.repeat(10_000));
    expect(await texts.get('huge')).toBeUndefined();
    await texts.delete(`hash-9999`);
    expect(await texts.get('hash-9999')).toBeUndefined();
  });
});
