import { apiProjections } from '../event-store/api-projections';
import { SHOWN_AFTER } from './read-your-writes';

describe('what a command waits for (SHOWN_AFTER)', () => {
  const running = apiProjections().map((p) => p.name);

  it('names only read models the API runs, so no wait silently waits for nothing', () => {
    for (const name of Object.values(SHOWN_AFTER).flat()) expect(running).toContain(name);
  });

  it('leaves out only the read models no API command writes to (the worker records reminders and reports)', () => {
    const waitedFor = new Set<string>(Object.values(SHOWN_AFTER).flat());
    expect(running.filter((name) => !waitedFor.has(name)).sort()).toEqual([
      'district-reports',
      'notifications',
    ]);
  });
});
