import type { EventStore } from './event-store';
import { MAX_PAGE_SIZE, revisionToVersion } from './event-store';
import { GENESIS_HASH, linkHolds } from './hash-chain';

export interface IntegrityReport {
  ok: boolean;
  checkedEvents: number;
  /** 1-based version (revision + 1) of the first event whose content or link does not match */
  firstBrokenVersion: number | null;
}

/**
 * Recomputes a stream's hash chain from the stored content. An event altered in place, removed or
 * reordered breaks its own link or the next one, and the first such version is reported.
 */
export async function verifyStreamIntegrity(store: EventStore, streamId: string): Promise<IntegrityReport> {
  let previousHash = GENESIS_HASH;
  let expectedRevision = 0;
  let checked = 0;
  for (;;) {
    const page = await store.readStream(streamId, {
      fromRevision: expectedRevision,
      maxCount: MAX_PAGE_SIZE,
    });
    for (const event of page) {
      checked += 1;
      const broken = !linkHolds(
        {
          streamId,
          revision: event.revision,
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          dataJson: JSON.stringify(event.data),
          metadataJson: JSON.stringify(event.metadata),
          previousHash: event.previousHash,
          hash: event.hash,
        },
        previousHash,
        expectedRevision,
      );
      if (broken)
        return { ok: false, checkedEvents: checked, firstBrokenVersion: revisionToVersion(expectedRevision) };
      previousHash = event.hash;
      expectedRevision += 1;
    }
    if (page.length < MAX_PAGE_SIZE) return { ok: true, checkedEvents: checked, firstBrokenVersion: null };
  }
}
