import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { EVALUATION_ID, actors } from '@app/domain/testing/fixtures';
import { signInAs, startConsole } from '../../apps/web/test/console-harness';
import { seedExample } from '../../apps/api/src/testing/graphql-fixtures';

// What the functions handed to the page (run in the browser, not here) use of the DOM.
declare const document: {
  querySelector(selector: string): { textContent: string | null; value?: string } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};

const RUNS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (ms: number) => Math.round(ms * 10) / 10;

/** Gzipped size of the JavaScript the first page loads: its module script and what that preloads. */
function initialJsKb(dir: string): number {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  if (scripts.length === 0) throw new Error('the page loads no script');
  const bytes = scripts.reduce(
    (sum, file) => sum + gzipSync(fs.readFileSync(path.join(dir, file))).length,
    0,
  );
  return Math.round((bytes / 1024) * 10) / 10;
}

/**
 * The console's budgets, in Chromium against the API on loopback: the first page's JavaScript, the
 * example form interactive after navigation, and a supervisor's list showing a clerk's submit (live).
 */
export async function webBenchmarks(): Promise<Record<string, number>> {
  const c = await startConsole();
  try {
    await seedExample(c.api);
    const jsKb = initialJsKb(c.api.config.consoleDir);

    const clerk = await (await c.context()).newPage();
    await signInAs(clerk, c.origin, '部门填报员');
    const interactive: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await clerk.goto(`${c.origin}/console/forms`);
      await clerk.locator('table').waitFor();
      const started = performance.now();
      await clerk.getByRole('link', { name: '2021 年度' }).click();
      // Interactive: the score is shown and the first editable cell takes input.
      await clerk.waitForFunction(
        () => document.querySelector('[data-testid=total]')?.textContent === '98.35',
      );
      await clerk.locator('tr[data-row="r1"] input[aria-label$="实际完成值"]').fill('6');
      interactive.push(performance.now() - started);
    }

    const supervisor = await (await c.context()).newPage();
    await signInAs(supervisor, c.origin, '区级审核人');
    await supervisor.waitForURL(`${c.origin}/console/district`);
    // Live: the socket is open and the page has read the list again since (what it does on connecting).
    await supervisor.locator('html[data-live=connected]').waitFor({ state: 'attached' });
    await supervisor.waitForTimeout(500);
    const row = `tr[data-form="${EVALUATION_ID}"] [data-testid=state]`;
    const live: number[] = [];
    let version = (await c.api.gql(`{ evaluation(id: "${EVALUATION_ID}") { version } }`, {}, actors.clerk))
      .body.data.evaluation.version as number;
    for (let run = 0; run < RUNS; run++) {
      for (const [mutation, shown] of [
        ['submitEvaluation', '已提交待审核'],
        ['withdrawEvaluation', '草稿'],
      ] as const) {
        const started = performance.now();
        const answer = await c.api.gql(
          `mutation { ${mutation}(id: "${EVALUATION_ID}", expectedVersion: ${version}) { version } }`,
          {},
          actors.clerk,
        );
        if (answer.body.errors) throw new Error(JSON.stringify(answer.body.errors));
        version = answer.body.data[mutation].version;
        await supervisor.waitForFunction(
          ([s, e]) => document.querySelector(s)?.textContent === e,
          [row, shown] as const,
          { polling: 'raf' },
        );
        if (mutation === 'submitEvaluation') live.push(performance.now() - started);
      }
    }
    return {
      'web.initialJsKb': jsKb,
      'web.formInteractiveMs': round(median(interactive)),
      'web.liveUpdateMs': round(median(live)),
    };
  } finally {
    await c.close();
  }
}
