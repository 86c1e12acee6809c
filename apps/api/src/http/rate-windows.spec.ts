import { RateWindows, clientNetwork } from './body-and-rate-limits';

describe('rate windows', () => {
  it('counts per key within a minute and starts a fresh window after it', () => {
    const windows = new RateWindows(2);
    expect([windows.hit('a', 0), windows.hit('a', 1_000), windows.hit('a', 2_000)]).toEqual([null, null, 58]);
    expect(windows.hit('b', 2_000)).toBeNull(); // another key, its own window
    expect(windows.hit('a', 60_000)).toBeNull();
  });

  it('when full, expired windows make room first: a limited client keeps its window', () => {
    const windows = new RateWindows(1, 3);
    windows.hit('old-1', 0);
    windows.hit('old-2', 0);
    windows.hit('noisy', 61_000);
    expect(windows.hit('noisy', 61_001)).toBe(60);
    windows.hit('new', 61_002); // full: the two ended windows go, the active one stays
    expect(windows.size).toBe(2);
    expect(windows.hit('noisy', 61_003)).toBe(60);
  });

  it('with that many clients active within one minute, only the oldest active window is dropped', () => {
    const windows = new RateWindows(1, 3);
    for (const key of ['a', 'b', 'c']) windows.hit(key, 0);
    windows.hit('d', 1);
    expect(windows.size).toBe(3);
    expect([windows.hit('b', 2), windows.hit('c', 2), windows.hit('d', 2)]).toEqual([60, 60, 60]);
  });
});

describe('the network a client without a valid token is limited by', () => {
  it('IPv4 as it is; IPv6 by its /64, however it is written; IPv4-mapped IPv6 as IPv4', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    const network = '2001:db8:85a3:42::/64';
    for (const address of [
      '2001:db8:85a3:42::1',
      '2001:0db8:85a3:0042:ffff:ffff:ffff:fffe',
      '2001:db8:85a3:42:1:2:3:4',
      '2001:db8:85a3:42::1%eth0',
    ])
      expect([address, clientNetwork(address)]).toEqual([address, network]);
    expect(clientNetwork('2001:db8:85a3:43::1')).not.toBe(network);
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork(undefined)).toBe('unknown');
  });
});
