/**
 * Child process for the crash test: appends 3-event batches as fast as it can from 8 concurrent loops
 * and prints "ack N" once each append is acknowledged. The parent kills it with SIGKILL.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@app/event-store';

const file = process.argv[2];
const store = new SqliteEventStore({ file });
let next = 0;

const metadata = {
  actor: { id: 'writer', role: 'DEPARTMENT' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: new Date(0).toISOString(),
};

async function loop(): Promise<void> {
  for (;;) {
    const n = next++;
    const events = [0, 1, 2].map((part) => ({
      eventId: randomUUID(),
      type: 'Part',
      data: { n, part },
      metadata,
    }));
    await store.appendToStream(`batch-${n}`, events, { expectedRevision: 'no_stream' });
    process.stdout.write(`ack ${n}\n`);
  }
}

for (let i = 0; i < 8; i++) void loop();
