import { eventStoreContract } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

/*
 * No EventStoreDB server can run on the machines this project is developed and tested on (no Docker
 * engine), so this suite is skipped unless EVENTSTORE_URL points at one, e.g.
 *   docker compose up -d eventstore
 *   EVENTSTORE_URL=esdb://localhost:2113?tls=false npx jest esdb
 */
const url = process.env.EVENTSTORE_URL;
const describeWithServer = url ? describe : describe.skip;

describeWithServer('EventStoreDB adapter: the contract (EVENTSTORE_URL is set)', () => {
  eventStoreContract(
    async () => new EsdbEventStore(url!),
    (store) => store.close(),
  );
});
