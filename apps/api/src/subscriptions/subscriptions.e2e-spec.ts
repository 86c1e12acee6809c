import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { WebSocket } from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { openEventStore, type EventStore } from '@app/event-store';
import { handleEvaluationCommand } from '@app/application';
import type { Actor } from '@app/domain';
import { EVALUATION_ID, actors, seedExample } from '../testing/graphql-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';
import { signToken } from '../auth/tokens';
import { EvaluationChangeFeed } from './change-feed';
import { SUBSCRIPTION_LIMITS, SubscriptionServer } from './subscription-server';

const FORM_CHANGES = `subscription($id: ID!) { evaluationChanged(evaluationId: $id) {
  evaluationId version eventType actor { id role } occurredAt state year department { code } district { code } } }`;
const DISTRICT_CHANGES = `subscription { districtEvaluationsChanged(districtCode: "wangcheng", year: 2021) {
  evaluationId version state department { code } } }`;

const waitFor = async (what: string, condition: () => boolean, timeoutMs = 5000) => {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** A raw graphql-transport-ws socket: every message received, and how it closed. */
function rawSocket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, 'graphql-transport-ws', { headers });
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const send = async (message: object) => {
    await opened;
    ws.send(JSON.stringify(message));
  };
  return { ws, messages, closed, opened, send };
}

describe('GraphQL subscriptions over graphql-ws, fed from the event log', () => {
  let api: TestApp;
  let url: string;
  let feed: EvaluationChangeFeed;
  let server: SubscriptionServer;
  /** A second store on the same file: what another API replica or the worker appends through. */
  let otherProcess: EventStore;
  const clients: Client[] = [];

  /** A graphql-ws client signed in with `actor`'s bearer token in connection_init. */
  const clientAs = (actor: Actor) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${api.token(actor)}` },
      retryAttempts: 0,
      lazy: false,
    });
    clients.push(client);
    return client;
  };

  /** Subscribes; `results` fills as the server sends; resolves once the server follows it. */
  const subscribe = async (client: Client, query: string, variables: Record<string, unknown> = {}) => {
    const results: any[] = [];
    const before = feed.listenerCount;
    let ended = false;
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => results.push(value),
        error: (error) => results.push({ error }),
        complete: () => (ended = true),
      },
    );
    await waitFor('the subscription to start', () => feed.listenerCount > before || results.length > 0);
    return { results, dispose, ended: () => ended };
  };

  /** A narrative edit appended through the other store, not through this API's command handling. */
  let version = 1;
  const editElsewhere = async (functions: string) => {
    await handleEvaluationCommand(
      otherProcess,
      EVALUATION_ID,
      {
        type: 'UpdateNarrative',
        data: { functions },
        metadata: { actor: actors.clerk, now: new Date(), expectedVersion: version },
      },
      { correlationId: 'other-process', commandId: randomUUID() },
    );
    version += 1;
  };

  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
    await api.app.listen(0, '127.0.0.1');
    url = `ws://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}/graphql`;
    feed = api.app.get(EvaluationChangeFeed);
    server = api.app.get(SubscriptionServer);
    otherProcess = openEventStore({ dataDir: api.config.dataDir });
  });
  let closed = false;
  const closeApi = async () => {
    if (closed) return;
    closed = true;
    await Promise.all(clients.map((client) => client.dispose()));
    await api.close();
  };
  afterAll(async () => {
    await otherProcess.close();
    await closeApi();
  });

  it("a form's change appended by another process reaches the form's subscriber", async () => {
    const clerk = await subscribe(clientAs(actors.clerk), FORM_CHANGES, { id: EVALUATION_ID });
    await editElsewhere('由另一个进程写入');
    await waitFor('the change', () => clerk.results.length > 0);
    const [change] = clerk.results;
    expect(change.errors).toBeUndefined();
    expect(change.data.evaluationChanged).toEqual({
      evaluationId: EVALUATION_ID,
      version: 2,
      eventType: 'FunctionsChanged',
      actor: { id: actors.clerk.id, role: 'DEPARTMENT' },
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      state: 'DRAFT',
      year: 2021,
      department: { code: actors.clerk.department },
      district: { code: 'wangcheng' },
    });
    clerk.dispose();
    await waitFor('the listener to go', () => feed.listenerCount === 0);
  });

  it("a district-year's changes reach exactly who may list them", async () => {
    const supervisor = await subscribe(clientAs(actors.supervisor), DISTRICT_CHANGES);
    const clerk = await subscribe(clientAs(actors.clerk), DISTRICT_CHANGES);
    const otherClerk = await subscribe(clientAs(actors.otherClerk), DISTRICT_CHANGES);
    const otherSupervisor = await subscribe(clientAs(actors.otherSupervisor), DISTRICT_CHANGES);
    const otherYear = await subscribe(
      clientAs(actors.admin),
      DISTRICT_CHANGES.replace('year: 2021', 'year: 2022'),
    );
    // Through this API's own HTTP mutation this time: the feed still takes it from the log.
    const submitted = await api.gql(
      `mutation { submitEvaluation(id: "${EVALUATION_ID}", expectedVersion: ${version}) { version state } }`,
      {},
      actors.clerk,
    );
    expect(submitted.body.errors).toBeUndefined();
    version += 1;
    await waitFor(
      'the supervisor and the clerk',
      () => supervisor.results.length > 0 && clerk.results.length > 0,
    );
    const expected = {
      data: {
        districtEvaluationsChanged: {
          evaluationId: EVALUATION_ID,
          version,
          state: 'SUBMITTED',
          department: { code: actors.clerk.department },
        },
      },
    };
    expect(supervisor.results).toEqual([expected]);
    expect(clerk.results).toEqual([expected]);
    // The feed handed the change to every listener at once; give the sockets time to carry anything.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([otherClerk.results, otherSupervisor.results, otherYear.results]).toEqual([[], [], []]);
    for (const s of [supervisor, clerk, otherClerk, otherSupervisor, otherYear]) s.dispose();
    await waitFor('every listener to go', () => feed.listenerCount === 0);
  });

  it('a form out of scope is refused exactly like a form that does not exist', async () => {
    const other = clientAs(actors.otherClerk);
    const outOfScope = await subscribe(other, FORM_CHANGES, { id: EVALUATION_ID });
    const missing = await subscribe(other, FORM_CHANGES, { id: 'wangcheng-shzlfwzx.2030' });
    await waitFor('both answers', () => outOfScope.ended() && missing.ended());
    const shape = (results: any[], id: string) => JSON.stringify(results).replaceAll(id, '<id>');
    expect(outOfScope.results[0].errors[0]).toMatchObject({
      message: `评价表 ${EVALUATION_ID} 不存在`,
      extensions: { code: 'NOT_FOUND' },
    });
    expect(shape(outOfScope.results, EVALUATION_ID)).toBe(shape(missing.results, 'wangcheng-shzlfwzx.2030'));
    expect(feed.listenerCount).toBe(0);
  });

  it('signs in by connection_init or the session cookie of the same origin; anything else is closed 4403', async () => {
    const anonymous = rawSocket(url);
    await anonymous.send({ type: 'connection_init' });
    const forged = rawSocket(url);
    await forged.send({
      type: 'connection_init',
      payload: { authorization: `Bearer ${api.token(actors.admin)}x` },
    });
    expect((await anonymous.closed).code).toBe(4403);
    expect((await forged.closed).code).toBe(4403);

    const signedIn = await request(api.app.getHttpServer())
      .post('/auth/session')
      .set('content-type', 'application/json')
      .send({ demoIdentity: 'SUPERVISOR' })
      .expect(200);
    const cookie = String(signedIn.headers['set-cookie'][0]).split(';')[0];
    const host = new URL(url).host;
    const sameOrigin = rawSocket(url, { cookie, origin: `http://${host}` });
    await sameOrigin.send({ type: 'connection_init' });
    await waitFor('the ack', () => sameOrigin.messages.length > 0);
    expect(sameOrigin.messages).toEqual([{ type: 'connection_ack' }]);
    // Another site's page opening a socket: the browser would send the cookie, the origin gives it away.
    const crossSite = rawSocket(url, { cookie, origin: 'https://evil.example' });
    await crossSite.send({ type: 'connection_init' });
    expect((await crossSite.closed).code).toBe(4403);

    // Queries and mutations go over HTTP, where the limits and the access log are.
    await sameOrigin.send({ id: '1', type: 'subscribe', payload: { query: '{ districts { code } }' } });
    await waitFor('the refusal', () => sameOrigin.messages.length > 1);
    expect(sameOrigin.messages[1]).toMatchObject({
      id: '1',
      type: 'error',
      payload: [{ extensions: { code: 'OPERATION_NOT_SUPPORTED' } }],
    });
    // A root @skip with a variable, which graphql-js's validation throws on: refused, the socket stays.
    await sameOrigin.send({
      id: '2',
      type: 'subscribe',
      payload: {
        query:
          'subscription($v: Boolean!) { evaluationChanged(evaluationId: "x") @skip(if: $v) { version } }',
        variables: { v: false },
      },
    });
    await waitFor('the second refusal', () => sameOrigin.messages.length > 2);
    expect(sameOrigin.messages[2]).toMatchObject({
      id: '2',
      type: 'error',
      payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    sameOrigin.ws.close();
    expect((await sameOrigin.closed).code).toBe(1005);
  });

  it('limits: subscriptions per socket, sockets per user, the init timeout and the message size', async () => {
    const token = api.token(actors.auditor);
    const socket = rawSocket(url);
    await socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    await waitFor('the ack', () => socket.messages.length > 0);
    const max = SUBSCRIPTION_LIMITS.subscriptionsPerConnection;
    for (let i = 1; i <= max + 1; i++)
      await socket.send({ id: String(i), type: 'subscribe', payload: { query: DISTRICT_CHANGES } });
    await waitFor('the refusal', () => socket.messages.some((m) => m.type === 'error'));
    expect(socket.messages.filter((m) => m.type === 'error')).toEqual([
      {
        id: String(max + 1),
        type: 'error',
        payload: [
          expect.objectContaining({
            extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
          }),
        ],
      },
    ]);
    await waitFor('the listeners', () => feed.listenerCount === max);

    // Sockets per user: the first is open; up to the limit more are acknowledged, the next is closed.
    const more: ReturnType<typeof rawSocket>[] = [];
    for (let i = 1; i < SUBSCRIPTION_LIMITS.connectionsPerUser; i++) {
      const extra = rawSocket(url);
      await extra.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
      more.push(extra);
    }
    await waitFor('the acks', () => more.every((s) => s.messages.length > 0));
    const tooMany = rawSocket(url);
    await tooMany.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    expect((await tooMany.closed).code).toBe(4429);

    // Closing the sockets releases every listener and every count.
    socket.ws.close();
    for (const extra of more) extra.ws.close();
    await Promise.all([socket.closed, ...more.map((s) => s.closed)]);
    await waitFor(
      'everything released',
      () => feed.listenerCount === 0 && server.connectionsOf(actors.auditor.id) === 0,
    );

    const silent = rawSocket(url);
    await silent.opened;
    const started = Date.now();
    expect((await silent.closed).code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SUBSCRIPTION_LIMITS.connectionInitTimeoutMs - 100);

    const huge = rawSocket(url);
    await huge.send({
      type: 'connection_init',
      payload: { pad: 'x'.repeat(SUBSCRIPTION_LIMITS.maxMessageBytes) },
    });
    expect((await huge.closed).code).toBe(1009);
  });

  it('a socket ends when the token it signed in with expires (4401), releasing its subscriptions', async () => {
    const socket = rawSocket(url);
    const shortLived = signToken(actors.supervisor, api.config.tokens, 2);
    await socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${shortLived}` } });
    await waitFor('the ack', () => socket.messages.length > 0);
    await socket.send({ id: '1', type: 'subscribe', payload: { query: DISTRICT_CHANGES } });
    await waitFor('the listener', () => feed.listenerCount === 1);
    expect((await socket.closed).code).toBe(4401);
    await waitFor('the listener to go', () => feed.listenerCount === 0);
  });

  it('closing the app stops the shared log subscription and closes the sockets', async () => {
    const socket = rawSocket(url);
    await socket.send({
      type: 'connection_init',
      payload: { authorization: `Bearer ${api.token(actors.admin)}` },
    });
    await waitFor('the ack', () => socket.messages.length > 0);
    await socket.send({ id: '1', type: 'subscribe', payload: { query: DISTRICT_CHANGES } });
    await waitFor('the listener', () => feed.listenerCount === 1);
    expect(feed.running).toBe(true);
    await closeApi();
    expect(feed.running).toBe(false);
    expect(feed.listenerCount).toBe(0);
    expect((await socket.closed).code).toBe(1001);
  });
});
