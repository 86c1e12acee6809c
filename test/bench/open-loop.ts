import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';

/** One request of an open-loop load: its body and token, and what to do with the answer. */
export interface OpenLoopRequest {
  token: string;
  body: string;
  done?: (status: number, body: string) => void;
}

export interface OpenLoopResult {
  offeredPerSec: number;
  completed: number;
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time the server process spent per answered request, refused ones included (user + system, all its threads) */
  serverCpuMsPerRequest: number;
  /**
   * Time the server's event loop was busy per answered request, blocking calls (fsync) included: what
   * queues the next request, where CPU time leaves out the waits on the disk
   */
  serverLoopMsPerRequest: number;
  /** the share of the window (from the first scrape of the busy time to the last) the server's loop was busy */
  serverLoopUtilization: number;
}

/** Clock ticks per second, the unit of /proc/<pid>/stat's CPU times (100 on most Linux systems). */
let ticksPerSecond: number | undefined;

/**
 * CPU time a process has used so far, in ms (Linux: /proc/<pid>/stat). At a fixed offered rate it
 * compares variants better than their tails do: a 10 s window's p99 moves with whatever else the
 * machine does, the work per request much less.
 */
export function processCpuMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, in parentheses): utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/**
 * How many of `total` requests are due `elapsedMs` into a load of `ratePerSec`: request i is due at
 * i / rate, so the first at once. (Counting floor(elapsed × rate) instead sent each request one interval
 * after it was due, and that interval, 10 ms at 100/s, was counted in its latency.)
 */
export function requestsDue(elapsedMs: number, ratePerSec: number, total: number): number {
  return Math.min(total, Math.floor((elapsedMs / 1000) * ratePerSec) + 1);
}

/**
 * An open loop: requests leave at a fixed rate, evenly spaced (the ones due each millisecond), whether
 * or not earlier ones have been answered, and each latency counts from when the request was due, not
 * from when it could be sent (no coordinated omission). `next` gives the request due, or null when none
 * can be made yet (every form's clerk is waiting for an answer): it is then made as soon as one can,
 * still timed from when it was due. What a district feels at that load, unlike a closed loop at
 * saturation, which measures the queue it builds itself. autocannon's `overallRate` sends each second's
 * share in a burst, so its latencies are those of the burst, not of the rate.
 */
export async function openLoop(
  url: string,
  ratePerSec: number,
  seconds: number,
  server: { pid: number; loopBusySeconds: () => Promise<number> },
  next: () => OpenLoopRequest | null,
): Promise<OpenLoopResult> {
  const loopAtStart = await server.loopBusySeconds();
  const windowStart = performance.now();
  const cpuAtStart = processCpuMs(server.pid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  const latencies: number[] = [];
  let non2xx = 0;
  let inFlight = 0;
  const waiting: number[] = []; // due times of requests that could not be made yet
  const send = (due: number, request: OpenLoopRequest) => {
    inFlight += 1;
    const outgoing = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${request.token}`,
          'content-length': Buffer.byteLength(request.body),
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          inFlight -= 1;
          latencies.push(performance.now() - due);
          if ((response.statusCode ?? 0) >= 300) non2xx += 1;
          request.done?.(response.statusCode ?? 0, body);
          drain();
        });
      },
    );
    outgoing.on('error', () => {
      inFlight -= 1;
      non2xx += 1;
      drain();
    });
    outgoing.end(request.body);
  };
  const drain = () => {
    while (waiting.length > 0) {
      const request = next();
      if (!request) return;
      send(waiting.shift()!, request);
    }
  };
  const start = performance.now();
  const total = Math.round(ratePerSec * seconds);
  let issued = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = requestsDue(performance.now() - start, ratePerSec, total);
      for (; issued < due; issued++) {
        const dueAt = start + (issued / ratePerSec) * 1000;
        const request = waiting.length === 0 ? next() : null;
        if (request) send(dueAt, request);
        else waiting.push(dueAt);
      }
      if (issued >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  while (inFlight > 0 || waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  agent.destroy();
  const serverCpuMs = processCpuMs(server.pid) - cpuAtStart;
  const serverLoopMs = ((await server.loopBusySeconds()) - loopAtStart) * 1000;
  const windowMs = performance.now() - windowStart;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
  return {
    offeredPerSec: ratePerSec,
    completed: latencies.length,
    non2xx,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    serverCpuMsPerRequest: Math.round((serverCpuMs / Math.max(1, latencies.length)) * 1000) / 1000,
    serverLoopMsPerRequest: Math.round((serverLoopMs / Math.max(1, latencies.length)) * 1000) / 1000,
    serverLoopUtilization: Math.round((serverLoopMs / windowMs) * 100) / 100,
  };
}
