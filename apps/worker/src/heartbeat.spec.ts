import * as path from 'node:path';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { heartbeatFresh, startHeartbeat } from './heartbeat';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the worker's heartbeat file (its container health check)", () => {
  let data: ReturnType<typeof tempDataDir>;
  beforeEach(() => (data = tempDataDir('perf-eval-heartbeat-')));
  afterEach(() => data.remove());

  it('is fresh while the worker beats, and goes stale once it stops', async () => {
    const file = path.join(data.dir, 'heartbeat');
    expect(heartbeatFresh(file, 1000)).toBe(false);
    const stop = startHeartbeat(file, 20);
    await pause(150);
    expect(heartbeatFresh(file, 100)).toBe(true);
    stop();
    await pause(250);
    expect(heartbeatFresh(file, 100)).toBe(false);
  });
});
