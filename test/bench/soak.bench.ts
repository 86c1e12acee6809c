import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { signToken } from '../../apps/api/src/auth/tokens';
import { buildApi, startCompiledApi } from './compiled-api';
import { exampleDocument } from '@app/domain/testing/fixtures';

/**
 * The soak: minutes of mixed load against the compiled API in its own process with its heap capped, as
 * a leak shows itself — a heap that keeps growing after warm-up, then a service that slows down as the
 * collector runs more and more often in a heap close to its limit.
 *
 * Reports soak.heapGrowthMbPerMin (after warm-up; target < 1), soak.lastMinuteVsFirst (requests answered
 * in the last minute over the first; target >= 0.9), the live heap at the end, RSS (read from
 * /proc/<pid>/status) at start and end, and errors: any non-200 answer, any GraphQL error, or a form read
 * back older than the edit just acknowledged. BENCH_SOAK_SECONDS (default 180) sets the length; the first
 * third (at most a minute) is warm-up, and the throughput windows shrink with it below three minutes.
 * BENCH_SOAK_KEEP_SAMPLES=file keeps the server's heap samples (JSON lines).
 */
/** As production requires: random, 32 bytes or more, in no file of the repository. */
const SECRET = randomBytes(32).toString('base64');
/** The flags of `npm start`, and a heap cap: a leak then costs throughput within minutes, not hours. */
const NODE_FLAGS = ['--max-semi-space-size=64', '--max-old-space-size=256'];
const CONNECTIONS = 24;
const FORMS = CONNECTIONS;
const MB = 1024 * 1024;

interface Form {
  id: string;
  token: string;
}

interface GraphQLAnswer {
  status: number;
  data?: Record<string, { version?: number } | null>;
  errors?: Array<{ message: string; extensions?: { code?: string; currentVersion?: number } }>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS + 4 });

function post(
  port: number,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLAnswer> {
  const body = JSON.stringify(variables ? { query, variables } : { query });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          try {
            resolve({
              status: response.statusCode ?? 0,
              ...JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function must(port: number, token: string, query: string, variables?: Record<string, unknown>) {
  const answer = await post(port, token, query, variables);
  if (answer.errors || answer.status !== 200) throw new Error(JSON.stringify(answer));
  return answer.data!;
}

const FORM_FIELDS =
  'id version state indicators { id content target actual weight score suggestion { score path } } score { executionRatePercent fundingScore total grade }';

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export async function soakBenchmarks(): Promise<Record<string, number>> {
  const seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 180);
  const warmUpSeconds = Math.min(60, Math.floor(seconds / 3));
  const windowSeconds = Math.min(60, Math.floor(seconds / 3));
  buildApi();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-bench-soak-'));
  const sampleFile = path.join(dataDir, 'heap-samples.jsonl');
  // The server carries no sampling code: the sampler is preloaded into its process.
  const { child, port } = await startCompiledApi({
    dataDir,
    secret: SECRET,
    nodeArgs: [...NODE_FLAGS, '-r', path.join(__dirname, 'heap-sampler.js')],
    env: { BENCH_HEAP_SAMPLE_FILE: sampleFile },
  });
  try {
    const admin = signToken({ id: 'soak-admin', role: 'ADMIN' }, SECRET);
    const supervisor = signToken(
      { id: 'soak-supervisor', role: 'SUPERVISOR', district: 'wangcheng' },
      SECRET,
    );
    const auditor = signToken({ id: 'soak-auditor', role: 'AUDITOR', district: 'wangcheng' }, SECRET);
    const document = exampleDocument();
    await must(
      port,
      admin,
      'mutation { registerDistrict(input: { code: "wangcheng", name: "长沙市望城区" }) { code } }',
    );
    const forms: Form[] = [];
    for (let i = 0; i < FORMS; i++) {
      const code = `soak-${i}`;
      await must(
        port,
        admin,
        `mutation { registerDepartment(input: { code: "${code}", name: "部门${i}", districtCode: "wangcheng" }) { code } }`,
      );
      const token = signToken({ id: `clerk-${i}`, role: 'DEPARTMENT', department: code }, SECRET);
      const data = await must(port, token, 'mutation($d: JSON!) { importEvaluation(document: $d) { id } }', {
        d: { ...document, department: { code, name: `部门${i}` } },
      });
      forms.push({ id: (data.importEvaluation as unknown as { id: string }).id, token });
    }

    const started = Date.now();
    const until = started + seconds * 1000;
    const perSecond = new Array<number>(seconds + 1).fill(0);
    const counts = { requests: 0, errors: 0, readYourWritesViolations: 0, distinctDocuments: 0 };
    const errorSamples: string[] = [];
    let unique = 0;
    let exited = false;
    child.once('exit', () => (exited = true));
    const rssAtStart = rssMb(child.pid!);

    const ask = async (token: string, query: string, variables?: Record<string, unknown>) => {
      let answer: GraphQLAnswer | null = null;
      try {
        answer = await post(port, token, query, variables);
      } catch (error) {
        if (errorSamples.length < 5) errorSamples.push(String(error));
      }
      const ok = answer !== null && answer.status === 200 && !answer.errors;
      if (!ok) {
        counts.errors += 1;
        if (answer && errorSamples.length < 5) errorSamples.push(JSON.stringify(answer).slice(0, 300));
      }
      const second = Math.floor((Date.now() - started) / 1000);
      if (second < perSecond.length) perSecond[second] += 1;
      counts.requests += 1;
      return ok ? answer!.data! : null;
    };

    /**
     * One clerk per form, in a loop: an edit, then the form read back (it must show that edit), the
     * district's list, the form's history, and a form page whose query text carries its values inline.
     * Half the edits inline their values too, as careless clients do: every such text is a new document
     * for Apollo's document cache.
     */
    const clerk = async (form: Form) => {
      let version = (await must(port, form.token, `{ evaluation(id: "${form.id}") { version } }`)).evaluation!
        .version!;
      for (let n = 0; Date.now() < until && !exited; n++) {
        const row = `r${(n % 7) + 1}`;
        const actual = String(1000 + n);
        const edited =
          n % 2 === 0
            ? await ask(
                form.token,
                'mutation($id: ID!, $v: Int!, $row: ID!, $actual: String) { updateIndicator(id: $id, expectedVersion: $v, rowId: $row, input: { actual: $actual }) { version score { total } } }',
                { id: form.id, v: version, row, actual },
              )
            : await ask(
                form.token,
                `mutation { updateIndicator(id: "${form.id}", expectedVersion: ${version}, rowId: "${row}", input: { actual: "${actual}" }) { version score { total } } }`,
              );
        if (edited?.updateIndicator) version = edited.updateIndicator.version!;
        else {
          // Start again from what the store holds (a lost answer still may have been applied).
          const current = await ask(form.token, `{ evaluation(id: "${form.id}") { version } }`);
          if (current?.evaluation) version = current.evaluation.version!;
        }
        const read = await ask(form.token, `query($id: ID!) { evaluation(id: $id) { ${FORM_FIELDS} } }`, {
          id: form.id,
        });
        if (read?.evaluation && read.evaluation.version! < version) counts.readYourWritesViolations += 1;
        await ask(
          supervisor,
          '{ evaluations(filter: { year: 2021 }, sort: TOTAL_DESC, first: 20) { totalCount edges { node { id state score { total grade } } } } }',
        );
        await ask(
          auditor,
          'query($id: ID!) { evaluationHistory(id: $id, first: 20) { edges { node { version type occurredAt changes { path before after } } } } }',
          { id: form.id },
        );
        unique += 1;
        await ask(form.token, `{ page${unique}: evaluation(id: "${form.id}") { ${FORM_FIELDS} } }`);
        counts.distinctDocuments += n % 2 === 0 ? 1 : 2;
      }
    };

    const rssSamples: number[] = [];
    const rssTimer = setInterval(() => exited || rssSamples.push(rssMb(child.pid!)), 1000);
    await Promise.all(forms.map(clerk));
    clearInterval(rssTimer);
    if (exited) throw new Error(`the API exited during the soak (${child.exitCode ?? child.signalCode})`);
    const rssAtEnd = rssMb(child.pid!);

    const samples = fs
      .readFileSync(sampleFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { at: number; kind: string; heapUsed: number; rss?: number });
    if (process.env.BENCH_SOAK_KEEP_SAMPLES) fs.copyFileSync(sampleFile, process.env.BENCH_SOAK_KEEP_SAMPLES);
    const warmedUp = started + warmUpSeconds * 1000;
    const afterWarmUp = (s: { at: number }) => s.at >= warmedUp && s.at <= until;
    const minutes = (s: { at: number }) => (s.at - started) / 60_000;
    const fit = (points: Array<{ at: number; heapUsed: number }>) =>
      Math.round(slope(points.map((s) => [minutes(s), s.heapUsed / MB])) * 100) / 100;
    // heapUsed a second apart saws up and down by tens of MB (the young generation, and garbage promoted
    // between full collections); what a leak grows is what survives. So the growth is fitted over the
    // heap each full (mark-compact) collection leaves, and, as a cross-check that needs no collections,
    // over the lowest sample of each whole 20 s window.
    const afterFullGc = samples.filter((s) => s.kind === 'major-gc' && afterWarmUp(s));
    const floors = new Map<number, { at: number; heapUsed: number }>();
    for (const s of samples.filter((s) => s.kind === 'tick' && afterWarmUp(s))) {
      const window = Math.floor((s.at - warmedUp) / 20_000);
      if (warmedUp + (window + 1) * 20_000 > until) continue;
      const low = floors.get(window);
      if (!low || s.heapUsed < low.heapUsed) floors.set(window, s);
    }
    const lastLive = afterFullGc.filter((s) => s.at >= until - 20_000);
    const sum = (from: number, to: number) => perSecond.slice(from, to).reduce((a, b) => a + b, 0);
    const first = sum(0, windowSeconds);
    const last = sum(seconds - windowSeconds, seconds);
    if (errorSamples.length > 0) console.log('soak errors, first few:', errorSamples);
    return {
      'soak.seconds': seconds,
      'soak.requests': counts.requests,
      'soak.reqPerSec': Math.round(counts.requests / seconds),
      'soak.errors': counts.errors,
      'soak.readYourWritesViolations': counts.readYourWritesViolations,
      'soak.distinctDocuments': counts.distinctDocuments,
      // too few full collections to fit (a light load): the floors
      'soak.heapGrowthMbPerMin': afterFullGc.length >= 10 ? fit(afterFullGc) : fit([...floors.values()]),
      'soak.heapFloorGrowthMbPerMin': fit([...floors.values()]),
      'soak.fullGcsAfterWarmUp': afterFullGc.length,
      'soak.liveHeapEndMb': Math.round(
        lastLive.reduce((sum, s) => sum + s.heapUsed, 0) / Math.max(1, lastLive.length) / MB,
      ),
      'soak.lastMinuteVsFirst': first === 0 ? 0 : Math.round((last / first) * 100) / 100,
      'soak.rssStartMb': rssAtStart,
      'soak.rssEndMb': rssAtEnd,
      'soak.rssMaxMb': Math.max(rssAtStart, ...rssSamples),
    };
  } finally {
    agent.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
