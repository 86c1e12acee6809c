#!/usr/bin/env node
/**
 * node infra/replay-dockerfile.mjs
 *
 * Replays infra/Dockerfile where no Docker engine runs (CI): each stage gets a clean folder standing for
 * its root; COPY takes the build context through .dockerignore, or another stage's folder; RUN runs
 * there (paths starting with `/` point into the stage's folder; apt-get steps are checked against the
 * tools this machine already has, not run); USER becomes an unprivileged uid (nobody). Then the last
 * stage's CMD is started as that user with its ENV, and the HEALTHCHECK command must pass, as Docker
 * would require. Also checked: no development dependency in the image, the data written on the volume,
 * a clean stop on SIGTERM. Exits non-zero with the reason on the first failure.
 */
/* global process, console, setTimeout, fetch */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOCKERFILE = path.join(ROOT, 'infra/Dockerfile');
const UNPRIVILEGED = { uid: 65534, gid: 65534 };
const APT_TOOLS = { python3: 'python3', make: 'make', 'g++': 'g++' };

const fail = (message) => {
  console.error(`replay-dockerfile: ${message}`);
  process.exit(1);
};
const log = (message) => console.log(`== ${message}`);

/** The Dockerfile as [instruction, arguments] pairs, continuation lines joined, comments dropped. */
function instructions(text) {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [word, ...rest] = line.split(/\s+/);
      return [word.toUpperCase(), line.slice(word.length).trim(), rest];
    });
}

/** .dockerignore's patterns, as Docker reads them (relative to the context's root). */
function ignored() {
  const file = path.join(ROOT, '.dockerignore');
  const patterns = fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
    : [];
  return (relative) =>
    patterns.some((p) => path.matchesGlob(relative, p) || path.matchesGlob(relative, `${p}/**`));
}

function copyContext(sources, destination) {
  const skip = ignored();
  const copyEntry = (relative, target) => {
    if (relative && skip(relative)) return;
    const from = path.join(ROOT, relative);
    const stat = fs.lstatSync(from);
    if (stat.isDirectory()) {
      fs.mkdirSync(target, { recursive: true });
      for (const entry of fs.readdirSync(from))
        copyEntry(path.join(relative, entry), path.join(target, entry));
    } else if (stat.isFile()) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(from, target);
    }
  };
  for (const source of sources) {
    const relative = path.normalize(source) === '.' ? '' : path.normalize(source);
    const target =
      sources.length > 1 || destination.endsWith('/')
        ? path.join(destination, path.basename(relative))
        : destination;
    copyEntry(relative, relative ? target : destination);
  }
}

/** A path inside a stage: absolute paths are the stage's root folder, others are relative to WORKDIR. */
const inside = (stage, p) => (p.startsWith('/') ? path.join(stage.root, p) : path.join(stage.cwd, p));
/** A RUN command with the container's absolute paths pointed into the stage's folder. */
const rooted = (stage, command) =>
  command
    .replace(/(^|[\s=])\/(?=[A-Za-z0-9_.-])/g, `$1${stage.root}/`)
    .replace(/\bchown\s+\S+:\S+/g, `chown ${UNPRIVILEGED.uid}:${UNPRIVILEGED.gid}`);

function runStep(stage, command) {
  const steps = command.split('&&').map((s) => s.trim());
  const kept = [];
  for (const step of steps) {
    if (/^apt-get\b/.test(step)) {
      const wanted = step.includes('install') ? step.split(/\s+/).filter((w) => w in APT_TOOLS) : [];
      for (const tool of wanted)
        if (spawnSync('sh', ['-c', `command -v ${APT_TOOLS[tool]}`]).status !== 0)
          fail(`the build needs ${tool}, which this machine does not have`);
      continue;
    }
    if (/^rm -rf \/var\/lib\/apt/.test(step)) continue;
    kept.push(step);
  }
  if (kept.length === 0) return;
  const script = rooted(stage, kept.join(' && '));
  log(`RUN ${kept.join(' && ')}`);
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: stage.cwd,
    env: { ...process.env, ...stage.env },
    stdio: 'inherit',
  });
  if (result.status !== 0) fail(`RUN failed (${result.status}): ${kept.join(' && ')}`);
}

function parseEnv(args) {
  const pairs = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g))
    pairs[match[1]] = match[2].replace(/^"|"$/g, '');
  return pairs;
}

function replay() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-replay-'));
  fs.chmodSync(work, 0o755);
  const stages = [];
  let stage = null;
  for (const [word, args, parts] of instructions(fs.readFileSync(DOCKERFILE, 'utf8'))) {
    if (word === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length);
      const root = path.join(work, `stage-${name}`);
      fs.mkdirSync(root, { recursive: true, mode: 0o755 });
      stage = {
        name,
        base: parts[0],
        root,
        cwd: root,
        env: {},
        user: null,
        healthcheck: null,
        cmd: null,
        volumes: [],
      };
      stages.push(stage);
      log(`FROM ${parts[0]} (stage ${name}, in ${root})`);
      if (!/^node:24\b/.test(parts[0]))
        fail(`stage ${name} is based on ${parts[0]}; this replay runs Node 24 images only`);
      continue;
    }
    if (!stage) fail(`${word} before FROM`);
    switch (word) {
      case 'WORKDIR':
        stage.cwd = inside(stage, args);
        fs.mkdirSync(stage.cwd, { recursive: true, mode: 0o755 });
        break;
      case 'ENV':
        Object.assign(stage.env, parseEnv(args));
        break;
      case 'COPY': {
        const flags = parts.filter((p) => p.startsWith('--'));
        const paths = parts.filter((p) => !p.startsWith('--'));
        const destination = inside(stage, paths.pop());
        const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
        if (from) {
          const source = stages.find((s) => s.name === from) ?? fail(`COPY --from=${from}: no such stage`);
          for (const p of paths) execFileSync('cp', ['-a', inside(source, p), destination]);
        } else
          copyContext(paths, destination.endsWith('/') || paths.length > 1 ? destination + '/' : destination);
        break;
      }
      case 'RUN':
        runStep(stage, args);
        break;
      case 'USER':
        stage.user = args === 'root' || args === '0' ? null : UNPRIVILEGED;
        break;
      case 'VOLUME':
        stage.volumes.push(inside(stage, args));
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(args.slice(args.indexOf('CMD') + 3).trim());
        break;
      case 'CMD':
        stage.cmd = JSON.parse(args);
        break;
      case 'EXPOSE':
        break;
      default:
        fail(`instruction ${word} is not replayed: keep infra/Dockerfile to what this script knows`);
    }
  }
  return { work, image: stages.at(-1) };
}

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function start(image) {
  if (!image.cmd || !image.healthcheck) fail('the image has no CMD or no HEALTHCHECK');
  if (!image.user) fail('the image runs as root');
  // Production dependencies only: a development dependency may be there only where a production one
  // needs it too (as @bull-board/api's valibot takes typescript as a peer).
  const manifest = JSON.parse(fs.readFileSync(path.join(image.cwd, 'package.json'), 'utf8'));
  const production = new Set(
    execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: image.cwd, encoding: 'utf8' })
      .split('\n')
      .map((line) => path.relative(path.join(image.cwd, 'node_modules'), line)),
  );
  const strays = Object.keys(manifest.devDependencies ?? {}).filter(
    (name) => fs.existsSync(path.join(image.cwd, 'node_modules', name)) && !production.has(name),
  );
  if (strays.length > 0) fail(`development dependencies in the image: ${strays.join(', ')}`);

  // The container's ENV, its absolute paths pointed into the image's folder; a free port and a real
  // production secret, as an operator would give them.
  const env = { PATH: process.env.PATH, HOME: '/nonexistent' };
  for (const [key, value] of Object.entries(image.env))
    env[key] = value.startsWith('/') ? inside(image, value) : value;
  env.PORT = String(await freePort());
  env.AUTH_JWT_SECRET = randomBytes(48).toString('base64');
  env.REDIS_URL = process.env.REPLAY_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
  const asUser = (argv) => [
    '--reuid',
    String(image.user.uid),
    '--regid',
    String(image.user.gid),
    '--clear-groups',
    '--',
    ...argv,
  ];
  log(`CMD ${image.cmd.join(' ')} as uid ${image.user.uid}, PORT=${env.PORT}`);
  const service = spawn('setpriv', asUser(image.cmd), {
    cwd: image.cwd,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = null;
  service.on('exit', (code, signal) => (exited = { code, signal }));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) fail(`the service exited before it was healthy (${JSON.stringify(exited)})`);
    const check = spawnSync('setpriv', asUser(image.healthcheck), { cwd: image.cwd, env, timeout: 3000 });
    if (check.status === 0) break;
    if (Date.now() > deadline) {
      service.kill('SIGKILL');
      fail('HEALTHCHECK did not pass within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  log('HEALTHCHECK passes');
  const uid = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${service.pid}/status`, 'utf8'))?.[1];
  // setpriv execs the command, so the process is the service itself.
  if (uid !== String(image.user.uid)) fail(`the service runs as uid ${uid}`);
  const readiness = await fetch(`http://127.0.0.1:${env.PORT}/health`);
  const body = await readiness.json();
  if (readiness.status !== 200 || !['ok', 'degraded'].includes(body.status))
    fail(`GET /health answered ${readiness.status} ${JSON.stringify(body)}`);
  log(`GET /health: ${readiness.status} ${JSON.stringify(body)}`);
  // The web console ships in the image: its page, and the script that page loads, from the image alone.
  const page = await fetch(`http://127.0.0.1:${env.PORT}/console/`);
  const html = await page.text();
  const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (page.status !== 200 || !script)
    fail(`GET /console/ answered ${page.status} without the console's page`);
  const asset = await fetch(`http://127.0.0.1:${env.PORT}${script}`);
  const bytes = (await asset.arrayBuffer()).byteLength;
  if (asset.status !== 200 || bytes === 0) fail(`GET ${script} answered ${asset.status}`);
  log(`GET /console/ and ${script}: 200`);
  const events = path.join(env.DATA_DIR, 'events.sqlite');
  if (!fs.existsSync(events) || fs.statSync(events).uid !== image.user.uid)
    fail(`the service did not write its store on the volume as its own user (${events})`);

  service.kill('SIGTERM');
  const stopped = Date.now() + 15_000;
  while (!exited && Date.now() < stopped) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!exited) {
    service.kill('SIGKILL');
    fail('the service did not stop within 15 s of SIGTERM');
  }
  if (exited.code !== 0) fail(`the service stopped with ${JSON.stringify(exited)}`);
  log('stopped cleanly on SIGTERM');
}

const { work, image } = replay();
try {
  await start(image);
  log('the image builds, starts as an unprivileged user and answers its health check');
} finally {
  if (!process.env.REPLAY_KEEP) fs.rmSync(work, { recursive: true, force: true });
}
