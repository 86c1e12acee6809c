import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on `entry` (a module path without extension, beside the caller's compiled or
 * source file). The built service runs the compiled .js; from the TypeScript sources (jest, ts-node)
 * the thread first loads infra/run-from-source.js, which compiles them as they are required.
 */
export function startWorkerThread(entry: string, workerData: unknown): Worker {
  const fromSource = path.extname(__filename) === '.ts';
  const file = `${entry}${fromSource ? '.ts' : '.js'}`;
  if (!fromSource) return new Worker(file, { workerData });
  const loader = path.resolve(__dirname, '../../../infra/run-from-source.js');
  return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(file)});`, {
    eval: true,
    workerData,
  });
}
