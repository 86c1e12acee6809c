import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../api/src/testing/test-app';
import type { AppConfig } from '../../api/src/config/app-config';

// What the functions handed to the page (run in the browser, not here) use of the DOM.
declare const document: {
  querySelector(selector: string): { textContent: string | null; value?: string } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};

/** Debian's Chromium: CI installs it (bash .ci/run); nothing ever downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../../..');
/** Screenshots of every page the tests visit, kept as CI output. */
export const SCREENSHOTS = path.join(ROOT, 'test-output/console');

/** The console built as shipped (vite build) into a folder of the test's own. */
export function buildConsole(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-console-'));
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'apps/web/vite.config.mts',
      '--outDir',
      dir,
      '--logLevel',
      'error',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface ConsoleUnderTest {
  api: TestApp;
  /** http://127.0.0.1:port */
  origin: string;
  browser: Browser;
  /** a fresh browser profile (its own cookies), at a desktop size unless told */
  context(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** The API on a real port serving the freshly built console, and a headless Chromium to drive it. */
export async function startConsole(overrides: Partial<AppConfig> = {}): Promise<ConsoleUnderTest> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; bash .ci/run does)`,
    );
  const built = buildConsole();
  const api = await startTestApp({ consoleDir: built.dir, ...overrides });
  await api.app.listen(0, '127.0.0.1');
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    api,
    origin: `http://127.0.0.1:${port}`,
    browser,
    async context(viewport = { width: 1366, height: 768 }) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      contexts.push(context);
      return context;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await api.close();
      built.remove();
    },
  };
}

/** Signs in through the sign-in page's demo identity for a role ("以区级审核人身份登录"). */
export async function signInAs(page: Page, origin: string, roleLabel: string): Promise<void> {
  await page.goto(`${origin}/console/`);
  await page.getByRole('button', { name: new RegExp(`以${roleLabel}身份登录`) }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core run in the page: the violations of impact serious or critical, by rule id. */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays as shipped.
  await page.evaluate(source);
  const results = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: (context: unknown) => Promise<unknown> } }).axe.run(document),
  )) as { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * Waits until the element's text is exactly `expected` (the page updates on its own: saves, live
 * changes); on timeout, says what the element held instead.
 */
export async function textBecomes(
  page: Page,
  selector: string,
  expected: string,
  timeout = 15_000,
): Promise<void> {
  try {
    await page.waitForFunction(
      ([s, e]) => document.querySelector(s)?.textContent?.trim() === e,
      [selector, expected] as const,
      { timeout },
    );
  } catch {
    const actual = await page
      .locator(selector)
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => '(absent)');
    const alerts = await page.getByRole('alert').allTextContents();
    throw new Error(
      `${selector} should read "${expected}" but reads "${actual?.trim()}" on ${page.url()}` +
        (alerts.length ? `; the page says: ${alerts.join(' | ')}` : ''),
    );
  }
}
