import type { BrowserContext, Page } from 'playwright-core';
import { EVALUATION_ID, actors } from '@app/domain/testing/fixtures';
import {
  screenshot,
  seriousViolations,
  signInAs,
  startConsole,
  type ConsoleUnderTest,
} from './console-harness';
import { seedExample } from '../../api/src/testing/graphql-fixtures';

// What the functions handed to the page (run in the browser, not here) use of the DOM.
declare const document: {
  querySelector(selector: string): { textContent: string | null; value?: string } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};

const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

/** Every page of each role, as its users reach it. */
const PAGES: Array<{ role: string; path: string; ready: string }> = [
  { role: '部门填报员', path: '/forms', ready: 'table' },
  { role: '部门填报员', path: `/forms/${EVALUATION_ID}`, ready: '[data-testid=total]' },
  { role: '区级审核人', path: '/district', ready: '[data-testid=district-forms]' },
  { role: '区级审核人', path: `/forms/${EVALUATION_ID}`, ready: '[data-testid=total]' },
  { role: '审计人员', path: `/forms/${EVALUATION_ID}/history`, ready: '[data-testid=timeline]' },
  { role: '系统管理员', path: '/admin', ready: '#departments-heading' },
];

describe('every page: accessible, usable at 1366×768 and at phone width', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
    await seedExample(c.api);
  }, 60_000);
  afterAll(() => c?.close());

  /** Nothing wider than the screen but the tables' own scrolling boxes. */
  const overflow = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  it.each(Object.entries(SIZES))(
    'at %s size',
    async (size, viewport) => {
      const signInPage = await (await c.context(viewport)).newPage();
      await signInPage.goto(`${c.origin}/console/`);
      await signInPage
        .getByRole('button', { name: /身份登录/ })
        .first()
        .waitFor();
      expect(await seriousViolations(signInPage)).toEqual([]);
      expect(await overflow(signInPage)).toBeLessThanOrEqual(0);
      await screenshot(signInPage, `${size}-sign-in`);

      const contexts = new Map<string, BrowserContext>();
      for (const { role, path, ready } of PAGES) {
        if (!contexts.has(role)) {
          const context = await c.context(viewport);
          await signInAs(await context.newPage(), c.origin, role);
          contexts.set(role, context);
        }
        const page = await contexts.get(role)!.newPage();
        await page.goto(`${c.origin}/console${path}`);
        await page.locator(ready).first().waitFor();
        expect({ path, role, violations: await seriousViolations(page) }).toEqual({
          path,
          role,
          violations: [],
        });
        expect({ path, role, overflow: await overflow(page) }).toEqual({ path, role, overflow: 0 });
        await screenshot(page, `${size}-${role}-${path.replace(/[^\w]+/g, '-')}`);
        await page.close();
      }
    },
    90_000,
  );

  it("a clerk's console never shows another department's form, even by its address", async () => {
    const context = await c.context();
    // Signed in as the other department's clerk, through a token as a script would have one.
    const signIn = await context.request.post(`${c.origin}/auth/session`, {
      data: { token: c.api.token(actors.otherClerk) },
      headers: { 'content-type': 'application/json', origin: c.origin },
    });
    expect(signIn.status()).toBe(200);
    const page = await context.newPage();
    await page.goto(`${c.origin}/console/forms`);
    await page.locator('h1', { hasText: '我的自评表' }).waitFor();
    await page.getByText('尚无自评表。').waitFor();
    // Another department's form and a form that does not exist read exactly the same.
    const shown = [];
    for (const id of [EVALUATION_ID, 'nobody.2021']) {
      await page.goto(`${c.origin}/console/forms/${id}`);
      await page.getByRole('alert').filter({ hasText: '未找到该表单，或您无权查看。' }).waitFor();
      expect(await page.content()).not.toContain('长沙市望城区社会治理服务中心');
      shown.push(await page.locator('main').innerHTML());
    }
    expect(shown[0]).toBe(shown[1]);
  }, 60_000);
});
