import type { Page, Route } from 'playwright-core';
import { EVALUATION_ID, actors } from '@app/domain/testing/fixtures';
import { screenshot, signInAs, startConsole, textBecomes, type ConsoleUnderTest } from './console-harness';
import { seedExample } from '../../api/src/testing/graphql-fixtures';

// What the functions handed to the page (run in the browser, not here) use of the DOM.
declare const document: {
  querySelector(selector: string): { textContent: string | null; value?: string } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};

const FORM = `/console/forms/${EVALUATION_ID}`;
const field = (row: string, label: string) => `tr[data-row="${row}"] input[aria-label$="${label}"]`;

/** Holds the page's next save (a GraphQL mutation) until released: the other editor saves in between. */
async function holdNextSave(page: Page): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held: Promise<void> | null = null;
  const handler = async (route: Route) => {
    if (!/mutation/.test(route.request().postData() ?? '') || held) return route.continue();
    held = released.then(() => route.continue());
    await held;
  };
  await page.route('**/graphql', handler);
  return async () => {
    release();
    await held;
    await page.unroute('**/graphql', handler);
  };
}

describe('two clerks editing one form in two browsers', () => {
  let c: ConsoleUnderTest;
  let first: Page;
  let second: Page;
  beforeAll(async () => {
    c = await startConsole();
    await seedExample(c.api);
    first = await (await c.context()).newPage();
    second = await (await c.context()).newPage();
    for (const page of [first, second]) {
      await signInAs(page, c.origin, '部门填报员');
      await page.goto(`${c.origin}${FORM}`);
      await textBecomes(page, '[data-testid=total]', '98.35');
    }
  }, 60_000);
  afterAll(() => c?.close());

  const stored = async () =>
    (
      await c.api.gql(
        `{ evaluation(id: "${EVALUATION_ID}") { version indicators { id actual } } }`,
        {},
        actors.clerk,
      )
    ).body.data.evaluation as { version: number; indicators: Array<{ id: string; actual: string }> };

  it('the same field: the second sees the first one’s change, keeps its own text, and chooses; nothing is lost', async () => {
    const release = await holdNextSave(second);
    await second.locator(field('r2', '实际完成值')).fill('40');
    await first.locator(field('r2', '实际完成值')).fill('30');
    await textBecomes(first, '.save-status', '已保存');
    await release();

    const conflict = second.locator('.notice.conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('第 2 行指标「社会治理日常事务」 · 实际完成值：23 → 30');
    expect(await conflict.textContent()).toContain('您的内容：40');
    // Until the second clerk chooses, their text stays in the field and nothing overwrites the first's.
    expect(await second.locator(field('r2', '实际完成值')).inputValue()).toBe('40');
    expect((await stored()).indicators.find((r) => r.id === 'r2')!.actual).toBe('30');
    await screenshot(second, 'conflict-same-field');

    await second.getByRole('button', { name: '保留我的修改' }).click();
    await textBecomes(second, '.save-status', '已保存');
    expect((await stored()).indicators.find((r) => r.id === 'r2')!.actual).toBe('40');
    // The first editor's page follows: it now shows the second's value.
    await first.waitForFunction((s) => document.querySelector(s)?.value === '40', field('r2', '实际完成值'));
    const history = await c.api.gql(
      `{ evaluationHistory(id: "${EVALUATION_ID}") { edges { node { changes { path before after } } } } }`,
      {},
      actors.auditor,
    );
    const changes = history.body.data.evaluationHistory.edges.flatMap((e: any) => e.node.changes);
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: 'indicators[r2].actual', before: '23', after: '30' },
        { path: 'indicators[r2].actual', before: '30', after: '40' },
      ]),
    );
  }, 60_000);

  it('different fields: the second one’s edit is saved on top of the first one’s, and it is told', async () => {
    expect(await second.locator('.notice.conflict').count()).toBe(0);
    const release = await holdNextSave(second);
    await second.locator(field('r3', '实际完成值')).fill('12');
    await first.locator(field('r4', '实际完成值')).fill('150');
    await textBecomes(first, '.save-status', '已保存');
    await release();
    await second.locator('.notice.conflict').waitFor();
    expect(await second.locator('.notice.conflict').textContent()).toContain(
      '第 4 行指标「社会治理日常事务」 · 实际完成值：168 → 150',
    );
    expect(await second.locator('.notice.conflict').textContent()).toContain('会保存在最新版本之上');
    await textBecomes(second, '.save-status', '已保存');
    const form = await stored();
    expect(form.indicators.find((r) => r.id === 'r3')!.actual).toBe('12');
    expect(form.indicators.find((r) => r.id === 'r4')!.actual).toBe('150');
  }, 60_000);

  it("the same field, taking the other one's value: the draft is dropped and nothing of it is sent", async () => {
    const mutations: string[] = [];
    second.on('request', (r) => /mutation/.test(r.postData() ?? '') && mutations.push(r.postData()!));
    const release = await holdNextSave(second);
    await second.locator(field('r7', '实际完成值')).fill('250');
    await first.locator(field('r7', '实际完成值')).fill('300');
    await textBecomes(first, '.save-status', '已保存');
    await release();
    await second.locator('.notice.conflict').waitFor();
    await second.getByRole('button', { name: '采用对方的修改' }).click();
    await second.waitForFunction(
      (s) => document.querySelector(s)?.value === '300',
      field('r7', '实际完成值'),
    );
    await second.waitForTimeout(1000);
    expect((await stored()).indicators.find((r) => r.id === 'r7')!.actual).toBe('300');
    // Only the one save that met the conflict: the dropped draft was never sent again.
    expect(mutations).toHaveLength(1);
  }, 60_000);

  it('leaving the form right after typing still saves what was typed, once', async () => {
    const mutations: string[] = [];
    first.on('request', (r) => /mutation/.test(r.postData() ?? '') && mutations.push(r.postData()!));
    await first.locator(field('r5', '实际完成值')).fill('9999');
    // Away at once, before the pause after typing has passed.
    await first.getByRole('link', { name: '我的自评表' }).click();
    await first.locator('h1', { hasText: '我的自评表' }).waitFor();
    for (let tries = 0; tries < 50; tries++) {
      if ((await stored()).indicators.find((r) => r.id === 'r5')!.actual === '9999') break;
      await first.waitForTimeout(100);
    }
    expect((await stored()).indicators.find((r) => r.id === 'r5')!.actual).toBe('9999');
    await first.waitForTimeout(1000);
    expect(mutations).toHaveLength(1);
  }, 60_000);

  it('a refused value is kept when the form is left, and is back with its reason when it is opened again', async () => {
    await first.goto(`${c.origin}${FORM}`);
    await first.locator(field('r3', '自评得分')).fill('五分');
    await first.locator('tr[data-row="r3"] .field-error').waitFor();
    await first.getByRole('link', { name: '我的自评表' }).click();
    await first.getByRole('link', { name: '2021 年度' }).click();
    await first.getByText('您上次离开此表时尚未保存的修改已恢复').waitFor();
    expect(await first.locator(field('r3', '自评得分')).inputValue()).toBe('五分');
    await first.locator('tr[data-row="r3"] .field-error').waitFor();
    // Corrected, it is sent.
    await first.locator(field('r3', '自评得分')).fill('4');
    await textBecomes(first, '.save-status', '已保存');
    const score = await c.api.gql(
      `{ evaluation(id: "${EVALUATION_ID}") { indicators { id score } } }`,
      {},
      actors.clerk,
    );
    expect(score.body.data.evaluation.indicators.find((r: { id: string }) => r.id === 'r3').score).toBe('4');
  }, 60_000);

  it("an editor's own save is not read back again when its change comes back live", async () => {
    await first.goto(`${c.origin}${FORM}`);
    await first.locator('[data-testid=total]').waitFor();
    // Live, and past the check a page makes when its socket connects.
    await first.locator('html[data-live=connected]').waitFor({ state: 'attached' });
    await first.waitForTimeout(300);
    const reads: string[] = [];
    first.on('request', (r) => /evaluation\(id/.test(r.postData() ?? '') && reads.push(r.postData()!));
    for (const value of ['31', '32', '33']) {
      await first.locator(field('r2', '实际完成值')).fill(value);
      await textBecomes(first, '.save-status', '已保存');
    }
    await first.waitForTimeout(1000);
    expect(reads).toEqual([]);
  }, 60_000);
});
