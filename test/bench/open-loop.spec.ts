import { requestsDue } from './open-loop';

describe('the open loop', () => {
  it('sends each request when it is due, not one interval later (its latency counts from then)', () => {
    // 100/s: request i is due at i × 10 ms.
    expect(requestsDue(0, 100, 1000)).toBe(1);
    expect(requestsDue(9.9, 100, 1000)).toBe(1);
    expect(requestsDue(10, 100, 1000)).toBe(2);
    expect(requestsDue(995, 100, 1000)).toBe(100);
    expect(requestsDue(10_000, 100, 1000)).toBe(1000);
    // 800/s: one due every 1.25 ms.
    expect(requestsDue(2.5, 800, 8000)).toBe(3);
  });
});
