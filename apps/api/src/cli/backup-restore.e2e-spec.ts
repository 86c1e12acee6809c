import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { EVENTS_FILE, READ_MODELS_FILE, WORKER_READ_MODELS_FILE } from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { startScript } from '../../../../test/faults/child-process';
import { EVALUATION_ID, actors, seedExample } from '../testing/graphql-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';

/** Runs a CLI of this repository to its end: exit code and everything it printed. */
function run(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

const backup = (dataDir: string, out: string) =>
  run(startScript('apps/api/src/cli/backup.ts', ['--out', out], { DATA_DIR: dataDir }));
const restore = (dataDir: string, from: string, ...flags: string[]) =>
  run(startScript('apps/api/src/cli/restore.ts', ['--from', from, ...flags], { DATA_DIR: dataDir }));

type EventRow = { position: number; event_id: string; stream_id: string; revision: number; hash: string };
function eventsOf(file: string): EventRow[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare('SELECT position, event_id, stream_id, revision, hash FROM events ORDER BY position')
      .all() as EventRow[];
  } finally {
    db.close();
  }
}

const STATE = `query($id: ID!) {
  evaluation(id: $id) { version }
  verifyEvaluationIntegrity(id: $id) { ok checkedEvents }
}`;
const HISTORY = `query($id: ID!, $after: String) {
  evaluationHistory(id: $id, first: 100, after: $after) {
    edges { node { version } } pageInfo { hasNextPage endCursor }
  }
}`;

/** Every version in a form's history, page by page. */
async function historyVersions(api: TestApp): Promise<number[]> {
  const versions: number[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: { body: any } = await api
      .gql(HISTORY, { id: EVALUATION_ID, after }, actors.auditor)
      .expect(200);
    const page: {
      edges: Array<{ node: { version: number } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string };
    } = answer.body.data.evaluationHistory;
    versions.push(...page.edges.map((edge) => edge.node.version));
    if (!page.pageInfo.hasNextPage) return versions;
    after = page.pageInfo.endCursor;
  }
}

describe('npm run backup / npm run restore, with edits running during the backup', () => {
  let api: TestApp;
  let folder: ReturnType<typeof tempDataDir>;
  beforeEach(async () => {
    api = await startTestApp();
    folder = tempDataDir('perf-eval-backup-');
    await seedExample(api);
  });
  afterEach(async () => {
    await api.close();
    folder.remove();
  });

  /** The clerk edits one row again and again, each on the version just answered, until told to stop. */
  function keepEditing() {
    let stop = false;
    let version = 1;
    const done = (async () => {
      for (let n = 0; !stop; n++) {
        const answer = await api.gql(
          `mutation($v: Int!, $a: String!) {
             updateIndicator(id: "${EVALUATION_ID}", expectedVersion: $v, rowId: "r1", input: { actual: $a }) { version }
           }`,
          { v: version, a: String(n % 2 === 0 ? 7 : 6) },
          actors.clerk,
        );
        if (answer.body.errors) throw new Error(JSON.stringify(answer.body.errors));
        version = answer.body.data.updateIndicator.version;
      }
    })();
    return {
      version: () => version,
      async stop() {
        stop = true;
        await done;
      },
    };
  }

  it('copies the log as it stood at one instant, verified; the restored service serves exactly that', async () => {
    const editor = keepEditing();
    while (editor.version() < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const out = path.join(folder.dir, 'backups', 'perf-eval.sqlite');
    const during = { from: editor.version(), result: await backup(api.config.dataDir, out) };
    const after = editor.version();
    await editor.stop();

    expect(during.result).toMatchObject({ code: 0, err: '' });
    expect(during.result.out).toMatch(/every chain verified/);
    // The editor went on during the backup: it did not hold the writers.
    expect(after).toBeGreaterThan(during.from);

    // A prefix of the live log: the same events, in the same order, up to the backup's last position.
    const copied = eventsOf(out);
    const live = eventsOf(path.join(api.config.dataDir, EVENTS_FILE));
    expect(copied.length).toBeGreaterThan(0);
    expect(copied).toEqual(live.slice(0, copied.length));
    const formVersion = copied.filter((e) => e.stream_id === `evaluation-${EVALUATION_ID}`).length;
    expect(formVersion).toBeGreaterThanOrEqual(during.from);
    expect(formVersion).toBeLessThan(
      live.filter((e) => e.stream_id === `evaluation-${EVALUATION_ID}`).length,
    );

    // Restored into an empty DATA_DIR, the service serves the form at the backup's version, with its
    // history rebuilt from the restored events and every hash verified.
    const restoredDir = path.join(folder.dir, 'restored');
    const restored = await restore(restoredDir, out);
    expect(restored).toMatchObject({ code: 0, err: '' });
    const second = await startTestApp({ dataDir: restoredDir });
    try {
      const answer = await second.gql(STATE, { id: EVALUATION_ID }, actors.auditor).expect(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.evaluation.version).toBe(formVersion);
      expect(await historyVersions(second)).toEqual(Array.from({ length: formVersion }, (_, i) => i + 1));
      expect(answer.body.data.verifyEvaluationIntegrity).toEqual({ ok: true, checkedEvents: formVersion });
    } finally {
      await second.app.close();
    }
  });

  it('a backup that was altered, or cut short, is refused by restore, which writes nothing', async () => {
    const out = path.join(folder.dir, 'good.sqlite');
    expect((await backup(api.config.dataDir, out)).code).toBe(0);

    const altered = path.join(folder.dir, 'altered.sqlite');
    fs.copyFileSync(out, altered);
    const db = new Database(altered);
    db.prepare(
      `UPDATE events SET data = replace(data, '望城', '岳麓') WHERE stream_id = ? AND revision = 0`,
    ).run(`evaluation-${EVALUATION_ID}`);
    db.close();
    const target = path.join(folder.dir, 'target');
    const refused = await restore(target, altered);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`evaluation-${EVALUATION_ID} version 1: the event does not chain`);
    expect(fs.existsSync(path.join(target, EVENTS_FILE))).toBe(false);

    // The last event deleted: every remaining link holds, but the stream's head names one more.
    const cut = path.join(folder.dir, 'cut.sqlite');
    fs.copyFileSync(out, cut);
    const cutDb = new Database(cut);
    cutDb.prepare('DELETE FROM events WHERE position = (SELECT MAX(position) FROM events)').run();
    cutDb.close();
    const refusedCut = await restore(target, cut);
    expect(refusedCut.code).toBe(2);
    expect(refusedCut.err).toMatch(/the stream's head names version \d+, its events end at \d+/);
    expect(fs.existsSync(path.join(target, EVENTS_FILE))).toBe(false);
  });

  it('refuses to overwrite a store or a backup without being told to', async () => {
    const out = path.join(folder.dir, 'first.sqlite');
    expect((await backup(api.config.dataDir, out)).code).toBe(0);
    const again = await backup(api.config.dataDir, out);
    expect(again.code).toBe(2);
    expect(again.err).toContain('exists: name a new file');

    const target = path.join(folder.dir, 'target');
    expect((await restore(target, out)).code).toBe(0);
    const before = fs.readFileSync(path.join(target, EVENTS_FILE));
    const over = await restore(target, out);
    expect(over.code).toBe(2);
    expect(over.err).toContain('stop the service and pass --replace');
    expect(fs.readFileSync(path.join(target, EVENTS_FILE)).equals(before)).toBe(true);
    // Replacing the store removes the read models of the history it replaces (rebuilt at start).
    for (const file of [READ_MODELS_FILE, WORKER_READ_MODELS_FILE, `${READ_MODELS_FILE}-wal`])
      fs.writeFileSync(path.join(target, file), 'tables of another history');
    expect(await restore(target, out, '--replace')).toMatchObject({ code: 0 });
    expect(fs.readdirSync(target)).toEqual([EVENTS_FILE]);
  });
});
