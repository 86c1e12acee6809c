import { createHash } from 'node:crypto';

/** The hash before the first event of a stream. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedContent {
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  /** the event's data as stored: JSON.stringify output, which JSON.parse then JSON.stringify reproduces exactly */
  dataJson: string;
  metadataJson: string;
}

/**
 * Each event's hash covers its content and the previous event's hash: altering one event breaks its own
 * link and every later one. The content is hashed as the JSON text that is stored, so nothing is
 * serialised twice on the write path.
 */
export function eventHash(previousHash: string, content: HashedContent): string {
  return createHash('sha256')
    .update(
      [
        previousHash,
        content.streamId,
        content.revision,
        content.eventId,
        content.type,
        content.schemaVersion,
      ].join('\n'),
    )
    .update('\n')
    .update(content.dataJson)
    .update('\n')
    .update(content.metadataJson)
    .digest('hex');
}

/** A stored event as its chain link: its content and the two hashes it was stored with. */
export interface StoredLink extends HashedContent {
  previousHash: string;
  hash: string;
}

/**
 * Whether a stored event is the next link of its stream: at the revision expected, naming the hash of
 * the event before it, and hashing to what it says. The one check behind every verification of a chain
 * (a stream read through the port, a backup file read row by row).
 */
export function linkHolds(link: StoredLink, previousHash: string, expectedRevision: number): boolean {
  return (
    link.revision === expectedRevision &&
    link.previousHash === previousHash &&
    link.hash === eventHash(previousHash, link)
  );
}

/** A name-based UUID (v5 layout over SHA-256), for events that must be recorded once: same name, same id. */
export function deterministicEventId(name: string): string {
  const bytes = createHash('sha256').update(`perf-eval:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
