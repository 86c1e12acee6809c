import {
  ANY,
  END,
  NO_STREAM,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  convertToCommandError,
  type JSONEventData,
  type RecordedEvent,
} from '@eventstore/db-client';
// The client's own wire types and converters: records are built as the server sends them and turned
// into RecordedEvents by the very code the client runs, not by hand-made lookalikes.
import { createStreamIdentifier, createUUID } from '@eventstore/db-client/dist/utils';
import { convertGrpcRecord } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import type { NewEvent, StoredEvent } from '../envelope';
import { WrongExpectedRevision, type EventStore } from '../event-store';
import { GENESIS_HASH, eventHash } from '../hash-chain';
import { comparePositions, positionFromString, positionToString, type Position } from '../position';
import { newEvent } from '../testing/new-events';
import { verifyStreamIntegrity } from '../verify-stream';
import {
  chainEventData,
  emptyIfStreamNotFound,
  fromAppendError,
  fromAppendResult,
  isSystemRecord,
  isWrongExpectedVersion,
  toClientExpectedRevision,
  toEventData,
  toReadPosition,
  toReadRevision,
  toStoredEvent,
} from './esdb-mapping';

/*
 * The EventStoreDB adapter's mapping, without a server (none can run where this project is tested; the
 * adapter's contract suite needs EVENTSTORE_URL). The "server" below keeps what the client sends as
 * bytes and hands it back in a gRPC RecordedEvent, which goes through the client's own converter.
 */

const STREAM = 'evaluation-0b7e1c52-4c1d-4f4e-9a51-7d0c2f1e3a90';
const TWO_TO_32 = 2n ** 32n;

interface ServerRecord {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  /** absent: a stream read from a server before 22.6, which sends no position */
  position?: Position;
  contentType?: string;
  data: Uint8Array;
  /** absent: nothing was sent as metadata */
  metadata?: Uint8Array;
}

/** A record as the server sends it, serialised and parsed as on the wire, then converted by the client. */
function delivered(record: ServerRecord): RecordedEvent {
  const grpc = new ReadResp.ReadEvent.RecordedEvent();
  grpc.setId(createUUID(record.id));
  grpc.setStreamIdentifier(createStreamIdentifier(record.streamId));
  grpc.setStreamRevision(record.revision.toString());
  if (record.position) {
    grpc.setCommitPosition(record.position.commit.toString());
    grpc.setPreparePosition(record.position.prepare.toString());
  }
  grpc
    .getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType ?? 'application/json')
    // .NET ticks (100 ns) since the epoch, as the server writes them
    .set('created', (BigInt(Date.parse('2022-03-01T08:00:00.000Z')) * 10_000n).toString());
  grpc.setData(record.data);
  if (record.metadata) grpc.setCustomMetadata(record.metadata);
  const wire = ReadResp.ReadEvent.RecordedEvent.deserializeBinary(grpc.serializeBinary());
  return convertGrpcRecord(wire) as RecordedEvent;
}

const utf8 = (text: string) => Uint8Array.from(Buffer.from(text, 'utf8'));

/** What the server stores for an appended event: data and metadata as the client's append serialises them. */
function appended(sent: JSONEventData, revision: bigint, position?: Position): RecordedEvent {
  return delivered({
    streamId: STREAM,
    id: sent.id,
    type: sent.type,
    revision,
    position,
    contentType: sent.contentType,
    data: utf8(JSON.stringify(sent.data)),
    metadata: sent.metadata === undefined ? undefined : utf8(JSON.stringify(sent.metadata)),
  });
}

/** Appends a batch after `currentRevision` and reads it back, positions counting up from `firstCommit`. */
function roundTrip(
  events: NewEvent[],
  currentRevision: number,
  previousHash: string,
  firstCommit = 1000n,
): StoredEvent[] {
  return chainEventData(STREAM, events, currentRevision, previousHash).map((sent, i) => {
    const position = { commit: firstCommit + BigInt(i) * 100n, prepare: firstCommit + BigInt(i) * 100n };
    return toStoredEvent(appended(sent, BigInt(currentRevision + 1 + i), position));
  });
}

/** Just enough of a store for verifyStreamIntegrity to read the given events. */
function storeOf(events: StoredEvent[]): EventStore {
  return {
    readStream: async (_streamId: string, options: { fromRevision?: number; maxCount: number }) =>
      events.filter((event) => event.revision >= (options.fromRevision ?? 0)).slice(0, options.maxCount),
  } as unknown as EventStore;
}

/** gRPC failure as the server reports it in trailers; the client turns it into its CommandError. */
function serviceError(code: status, trailers: Record<string, string>): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${trailers.exception ?? ''}`), { code, details: '', metadata });
}

/** The conflict as batch append (the path servers from 21.10 take) builds it from the server's reply. */
function batchAppendConflict(current: bigint | 'no_stream', expected: bigint): WrongExpectedVersionError {
  const details = new WrongExpectedVersion().setExpectedStreamPosition(expected.toString());
  if (current === 'no_stream') details.setCurrentNoStream(new Empty());
  else details.setCurrentStreamRevision(current.toString());
  return WrongExpectedVersionError.fromWrongExpectedVersion(details, STREAM);
}

describe('EventStoreDB mapping: events to records and back', () => {
  it('sends our id, type and data as JSON, with the envelope beside our metadata', () => {
    const event = { ...newEvent('EvaluationSubmitted', { score: 87.5 }), schemaVersion: 2 };
    const sent = toEventData(event, { schemaVersion: 2, hash: 'h1', previousHash: 'h0' });
    expect(sent).toStrictEqual({
      id: event.eventId,
      contentType: 'application/json',
      type: 'EvaluationSubmitted',
      data: { score: 87.5 },
      metadata: { ...event.metadata, schemaVersion: 2, hash: 'h1', previousHash: 'h0' },
    });
  });

  it('reads a batch back as it was written: id, type, data, metadata, revision, schema version, hash chain', () => {
    const events = [
      newEvent('EvaluationStarted', { departmentId: 'd-1', year: 2022 }),
      {
        ...newEvent('SelfScoreDeclared', { indicator: 'A1', score: 9.5, notes: ['a', 'b'] }),
        schemaVersion: 3,
      },
      newEvent('EvaluationSubmitted', {}),
    ];
    const previousHash = 'a'.repeat(64);
    const stored = roundTrip(events, 4, previousHash);

    expect(stored.map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
    expect(stored.map((event) => event.streamId)).toEqual([STREAM, STREAM, STREAM]);
    expect(stored.map((event) => event.type)).toEqual(events.map((event) => event.type));
    expect(stored.map((event) => event.data)).toStrictEqual(events.map((event) => event.data));
    // the envelope fields are taken out again: the metadata is exactly the caller's
    expect(stored.map((event) => event.metadata)).toStrictEqual(events.map((event) => event.metadata));
    expect(stored.map((event) => event.revision)).toEqual([5, 6, 7]);
    expect(stored.map((event) => event.schemaVersion)).toEqual([1, 3, 1]);
    // each event links to the one before, the first to the stream's last event before the batch
    expect(stored.map((event) => event.previousHash)).toEqual([previousHash, stored[0].hash, stored[1].hash]);
    for (const event of stored) {
      expect(event.hash).toBe(
        eventHash(event.previousHash, {
          streamId: STREAM,
          revision: event.revision,
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          dataJson: JSON.stringify(event.data),
          metadataJson: JSON.stringify(event.metadata),
        }),
      );
    }
  });

  it('writes a stream that verifies from genesis, and whose records altered on the server do not', async () => {
    const events = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 }), newEvent('C', { n: 3 })];
    const stored = roundTrip(events, -1, GENESIS_HASH);
    expect(stored.map((event) => event.revision)).toEqual([0, 1, 2]);
    await expect(verifyStreamIntegrity(storeOf(stored), STREAM)).resolves.toEqual({
      ok: true,
      checkedEvents: 3,
      firstBrokenVersion: null,
    });

    const altered = [...stored];
    altered[1] = { ...stored[1], data: { n: 20 } };
    await expect(verifyStreamIntegrity(storeOf(altered), STREAM)).resolves.toMatchObject({
      ok: false,
      firstBrokenVersion: 2,
    });
  });

  it('keeps revisions beyond 2^32 exact, in the records, the hashes and the append result', () => {
    const current = Number(TWO_TO_32) + 4;
    const [stored] = roundTrip([newEvent('Late', { n: 1 })], current, 'b'.repeat(64));
    expect(stored.revision).toBe(4_294_967_301);
    // the hash was computed for the revision the server gave the record
    expect(stored.hash).toBe(
      eventHash('b'.repeat(64), {
        streamId: STREAM,
        revision: 4_294_967_301,
        eventId: stored.eventId,
        type: 'Late',
        schemaVersion: 1,
        dataJson: '{"n":1}',
        metadataJson: JSON.stringify(stored.metadata),
      }),
    );
    const result = fromAppendResult({
      success: true,
      nextExpectedRevision: TWO_TO_32 + 7n,
      position: { commit: 5n, prepare: 4n },
    });
    expect(result).toEqual({ nextExpectedRevision: 4_294_967_303, position: { commit: 5n, prepare: 4n } });
  });
});

describe('EventStoreDB mapping: positions and checkpoints', () => {
  it('keeps $all positions as exact bigints, ordered as the server orders them', () => {
    // commit positions that a Number could not tell apart (2^53 and 2^53 + 1)
    const inLogOrder: Position[] = [
      { commit: 2n ** 53n, prepare: 2n ** 53n },
      { commit: 2n ** 53n + 1n, prepare: 2n ** 53n },
      { commit: 2n ** 53n + 1n, prepare: 2n ** 53n + 1n },
      { commit: 2n ** 63n + 5n, prepare: 2n ** 63n + 5n },
    ];
    const stored = inLogOrder.map((position, i) =>
      toStoredEvent(
        appended(
          toEventData(newEvent('E'), { schemaVersion: 1, hash: 'h', previousHash: 'p' }),
          BigInt(i),
          position,
        ),
      ),
    );
    expect(stored.map((event) => event.position)).toEqual(inLogOrder);
    for (let i = 1; i < stored.length; i++) {
      expect(comparePositions(stored[i - 1].position, stored[i].position)).toBe(-1);
    }
  });

  it('resumes from a checkpoint at exactly the position the event was read at', () => {
    const position = { commit: 2n ** 60n + 3n, prepare: 2n ** 60n + 1n };
    const sent = toEventData(newEvent('E'), { schemaVersion: 1, hash: 'h', previousHash: 'p' });
    const stored = toStoredEvent(appended(sent, 0n, position));
    const checkpoint = positionToString(stored.position);
    expect(checkpoint).toBe('1152921504606846979/1152921504606846977');
    expect(toReadPosition(positionFromString(checkpoint))).toEqual(position);
  });

  it('reads $all from the start without a checkpoint', () => {
    expect(toReadPosition(null)).toBe(START);
    expect(toReadPosition(undefined)).toBe(START);
  });

  it('takes the $all position when a record carries none, and -1/-1 when nothing says', () => {
    const sent = toEventData(newEvent('E'), { schemaVersion: 1, hash: 'h', previousHash: 'p' });
    // The client's type leaves a stream read's position optional (servers before 22.6 send none),
    // though its converter of this version fills in 0/0 rather than leaving it out.
    const withoutPosition = { ...appended(sent, 3n), position: undefined } as RecordedEvent;
    expect(toStoredEvent(withoutPosition).position).toEqual({ commit: -1n, prepare: -1n });
    expect(toStoredEvent(withoutPosition, { commit: 9n, prepare: 8n }).position).toEqual({
      commit: 9n,
      prepare: 8n,
    });
    // a record's own position wins over the one passed along
    const withPosition = appended(sent, 3n, { commit: 7n, prepare: 6n });
    expect(toStoredEvent(withPosition, { commit: 9n, prepare: 8n }).position).toEqual({
      commit: 7n,
      prepare: 6n,
    });
    expect(fromAppendResult({ success: true, nextExpectedRevision: 3n }).position).toEqual({
      commit: -1n,
      prepare: -1n,
    });
  });
});

describe('EventStoreDB mapping: revisions', () => {
  it('maps our expected revisions to the client’s', () => {
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision(0)).toBe(0n);
    expect(toClientExpectedRevision(Number(TWO_TO_32) + 1)).toBe(TWO_TO_32 + 1n);
  });

  it('starts stream reads at the given revision, else at the start or the end by direction', () => {
    expect(toReadRevision(undefined, false)).toBe(START);
    expect(toReadRevision(undefined, true)).toBe(END);
    expect(toReadRevision(0, true)).toBe(0n);
    expect(toReadRevision(Number(TWO_TO_32) + 2, false)).toBe(TWO_TO_32 + 2n);
  });
});

describe('EventStoreDB mapping: errors', () => {
  it('turns a batch append conflict into WrongExpectedRevision with the current revision', () => {
    const conflict = batchAppendConflict(TWO_TO_32 + 3n, 1n);
    expect(isWrongExpectedVersion(conflict)).toBe(true);
    const translated = fromAppendError(conflict, STREAM, 1);
    expect(translated).toBeInstanceOf(WrongExpectedRevision);
    expect(translated).toMatchObject({
      code: 'WRONG_EXPECTED_REVISION',
      streamId: STREAM,
      expected: 1,
      currentRevision: 4_294_967_299,
      message: `stream ${STREAM}: expected revision 1, current 4294967299`,
    });
  });

  it('reports -1 as the current revision when the stream does not exist', () => {
    const translated = fromAppendError(batchAppendConflict('no_stream', 4n), STREAM, 4);
    expect(translated).toBeInstanceOf(WrongExpectedRevision);
    expect(translated).toMatchObject({ expected: 4, currentRevision: -1 });
  });

  it('translates the conflict the same when it comes as a gRPC error (unary append)', () => {
    const existing = convertToCommandError(
      serviceError(status.FAILED_PRECONDITION, {
        exception: 'wrong-expected-version',
        'stream-name': STREAM,
        'expected-version': '2',
        'actual-version': '12',
      }),
    );
    expect(existing).toBeInstanceOf(WrongExpectedVersionError);
    expect(fromAppendError(existing, STREAM, 2)).toMatchObject({ expected: 2, currentRevision: 12 });

    const missing = convertToCommandError(
      serviceError(status.FAILED_PRECONDITION, {
        exception: 'wrong-expected-version',
        'stream-name': STREAM,
        'expected-version': '2',
      }),
    );
    expect(fromAppendError(missing, STREAM, 2)).toMatchObject({ expected: 2, currentRevision: -1 });
  });

  it('passes other append errors on as they are', () => {
    const others = [
      StreamDeletedError.fromStreamName(STREAM),
      convertToCommandError(serviceError(status.UNAVAILABLE, {})),
      new Error('socket hang up'),
      new WrongExpectedRevision(STREAM, 1, 2),
    ];
    expect(others[1]).toBeInstanceOf(UnavailableError);
    for (const error of others) {
      expect(isWrongExpectedVersion(error)).toBe(false);
      expect(fromAppendError(error, STREAM, 'any')).toBe(error);
    }
  });

  it('reads a stream that does not exist as empty, and lets other read errors through', () => {
    // as the client's ReadStream raises it (stream name in bytes), and as a gRPC error converted
    const notFound = [
      new StreamNotFoundError(undefined, utf8(STREAM)),
      convertToCommandError(
        serviceError(status.NOT_FOUND, { exception: 'stream-not-found', 'stream-name': STREAM }),
      ),
    ];
    for (const error of notFound) {
      expect(error).toBeInstanceOf(StreamNotFoundError);
      expect(emptyIfStreamNotFound(error)).toEqual([]);
    }
    const deleted = StreamDeletedError.fromStreamName(STREAM);
    expect(() => emptyIfStreamNotFound(deleted)).toThrow(deleted);
    const unavailable = convertToCommandError(serviceError(status.UNAVAILABLE, {}));
    expect(() => emptyIfStreamNotFound(unavailable)).toThrow(unavailable);
  });
});

describe('EventStoreDB mapping: records that are not ours', () => {
  it('recognises the server’s own records in $all', () => {
    expect(isSystemRecord({ type: '$statsCollected', streamId: '$stats-127.0.0.1:2113' })).toBe(true);
    expect(isSystemRecord({ type: '$metadata', streamId: `$$${STREAM}` })).toBe(true);
    expect(isSystemRecord({ type: '$>', streamId: '$ce-evaluation' })).toBe(true);
    expect(isSystemRecord({ type: 'Custom', streamId: '$projections-x' })).toBe(true);
    expect(isSystemRecord({ type: 'EvaluationSubmitted', streamId: STREAM })).toBe(false);
    expect(isSystemRecord({ type: 'Price$Changed', streamId: 'cycle-2022' })).toBe(false);
  });

  it('reads a record without our envelope as unhashed, so verification reports it', async () => {
    // written by another tool: JSON metadata, but no schema version or hash chain in it
    const foreign = toStoredEvent(
      delivered({
        streamId: STREAM,
        id: '5b0f7d0e-8f0a-4a59-9d5e-2f7c8d1e6a10',
        type: 'Imported',
        revision: 0n,
        position: { commit: 10n, prepare: 10n },
        data: utf8('{"n":1}'),
        metadata: utf8('{"source":"migration"}'),
      }),
    );
    expect(foreign).toMatchObject({
      schemaVersion: 1,
      hash: '',
      previousHash: '',
      metadata: { source: 'migration' },
    });
    await expect(verifyStreamIntegrity(storeOf([foreign]), STREAM)).resolves.toMatchObject({
      ok: false,
      firstBrokenVersion: 1,
    });
  });

  it('refuses a record with no metadata at all', () => {
    const bare = delivered({
      streamId: STREAM,
      id: '5b0f7d0e-8f0a-4a59-9d5e-2f7c8d1e6a11',
      type: 'Imported',
      revision: 0n,
      data: utf8('{}'),
    });
    expect(bare.metadata).toBeUndefined();
    expect(() => toStoredEvent(bare)).toThrow();
  });
});
