import * as fs from 'node:fs';

/**
 * The worker has no HTTP port, so a container's health check cannot ask it anything. Instead it touches
 * a file from its event loop every few seconds: a file younger than a few beats means the process runs
 * and its loop is not stuck (docker-compose.yml's worker healthcheck reads the file's age). The beat
 * stops when the worker stops.
 */
export function startHeartbeat(file: string, everyMs = 5000): () => void {
  const beat = () => {
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      fs.writeFileSync(file, '');
    }
  };
  beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Whether the heartbeat file was touched within `maxAgeMs` (what the health check asks). */
export function heartbeatFresh(file: string, maxAgeMs: number, now = Date.now()): boolean {
  try {
    return now - fs.statSync(file).mtimeMs < maxAgeMs;
  } catch {
    return false;
  }
}
