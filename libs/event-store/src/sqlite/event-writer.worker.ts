/**
 * The embedded store's writer thread (SqliteEventStore starts it on its first append): appends arrive
 * as messages; all that arrived while the previous commit waited for the disk are committed together.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventWriter, type AppendOutcome, type AppendRequest } from './event-writer';

export interface WriterOptions {
  file: string;
  maxGroupSize: number;
}
export type WriterRequest = ({ type: 'append'; id: number } & AppendRequest) | { type: 'close' };
export type WriterMessage =
  { type: 'committed'; ids: number[]; outcomes: AppendOutcome[]; seconds: number } | { type: 'closed' };

const { file, maxGroupSize } = workerData as WriterOptions;
const port = parentPort!;
const writer = new SqliteEventWriter(file);
let pending: Array<AppendRequest & { id: number }> = [];
let flushScheduled = false;
let closing = false;

function flush(): void {
  flushScheduled = false;
  const group = pending.slice(0, maxGroupSize);
  pending = pending.slice(group.length);
  if (pending.length > 0) scheduleFlush();
  if (group.length === 0) return;
  const started = process.hrtime.bigint();
  const outcomes = writer.commit(group);
  port.postMessage({
    type: 'committed',
    ids: group.map((request) => request.id),
    outcomes,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  } satisfies WriterMessage);
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  // Every message already here joins this commit: while one commit waits for the disk, the appends
  // that arrive meanwhile queue up for the next.
  setImmediate(flush);
}

port.on('message', (request: WriterRequest) => {
  if (request.type === 'append') {
    pending.push(request);
    scheduleFlush();
  } else if (!closing) {
    closing = true;
    while (pending.length > 0) flush();
    writer.close();
    port.postMessage({ type: 'closed' } satisfies WriterMessage);
    port.close();
  }
});
