/**
 * npm run demo: the API on embedded defaults with the example district, department and 2021 form loaded,
 * and a ready token printed for each role. Safe to run again: what exists is left as it is.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { readEvaluationDocument } from '@app/domain';
import { registerDepartment, registerDistrict } from '@app/application';
import type { EventStore } from '@app/event-store';
import { signToken } from '../auth/tokens';
import { DEMO_DEPARTMENT, DEMO_DISTRICT, DEMO_IDENTITIES } from '../auth/demo-identities';
import { loadConfig } from '../config/app-config';
import { EVENT_STORE } from '../event-store/event-store.module';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { startApi, stopOnSignals } from '../main';

const EXAMPLE = path.resolve(__dirname, '../../../../test/fixtures/wangcheng-2021.json');
const DISTRICT = DEMO_DISTRICT;
const DEPARTMENT = DEMO_DEPARTMENT;
const actors = DEMO_IDENTITIES;

async function alreadyThere(step: Promise<unknown>): Promise<void> {
  try {
    await step;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ALREADY_EXISTS') throw error;
  }
}

/** The worker in its own process on the same DATA_DIR, as in production; stopped with the demo. */
function startWorker(): void {
  const worker = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      path.resolve(__dirname, '../../../worker/src/main.ts'),
    ],
    { stdio: 'inherit', env: process.env },
  );
  const stop = () => worker.kill('SIGTERM');
  process.once('exit', stop);
  worker.on('exit', (code) => {
    if (code) console.error(`the worker exited (${code}); reminders wait until it runs again (is Redis up?)`);
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await startApi(config);
  stopOnSignals(app);
  startWorker();
  const store = app.get<EventStore>(EVENT_STORE);
  const context = { correlationId: 'demo-seed', commandId: randomUUID() };
  const now = new Date();
  await alreadyThere(
    registerDistrict(
      store,
      { type: 'RegisterDistrict', data: DISTRICT, metadata: { actor: actors.ADMIN, now } },
      context,
    ),
  );
  await alreadyThere(
    registerDepartment(
      store,
      {
        type: 'RegisterDepartment',
        data: { ...DEPARTMENT, districtCode: DISTRICT.code },
        metadata: { actor: actors.ADMIN, now },
      },
      context,
    ),
  );
  const document = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const evaluations = app.get(EvaluationsService);
  const evaluationId = evaluations.evaluationIdFor(DEPARTMENT.code, document.year);
  await alreadyThere(
    evaluations.execute(
      evaluationId,
      {
        type: 'ImportEvaluation',
        data: {
          evaluationId,
          content: readEvaluationDocument(document),
          department: DEPARTMENT,
          district: DISTRICT,
        },
      },
      { actor: actors.DEPARTMENT, authError: null, correlationId: 'demo-seed' },
      actors.DEPARTMENT,
    ),
  );

  const url = `http://localhost:${config.port}/graphql`;
  console.log(`\nperf-eval demo is running (data in ${config.dataDir}).`);
  console.log(`The console: http://localhost:${config.port}/console/ (choose a demo identity to sign in)`);
  console.log(`GraphQL: ${url}; the example form ${evaluationId} (score 98.35) is loaded.`);
  const hours = Math.round((config.tokens.maxTtlSeconds / 3600) * 10) / 10;
  console.log(`Tokens, valid ${hours} hours (AUTH_MAX_TOKEN_TTL); paste these lines into a shell:\n`);
  for (const [role, actor] of Object.entries(actors)) {
    console.log(`export ${role}=${signToken(actor, config.tokens)}`);
  }
  console.log('\nThen try (more examples in the README):');
  console.log(
    `  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $SUPERVISOR" \\`,
  );
  console.log(`    -d '{"query":"{ evaluations { edges { node { id state score { total grade } } } } }"}'\n`);
  const origin = `http://localhost:${config.port}`;
  console.log(
    `The form as a spreadsheet: ${origin}/evaluations/${evaluationId}.xlsx (bearer token as above)`,
  );
  console.log(
    `The job queues (ADMIN): ${origin}/admin/queues?token=${signToken(actors.ADMIN, config.tokens)}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
