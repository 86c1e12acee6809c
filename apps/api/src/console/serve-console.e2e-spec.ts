import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('the console served under /console/', () => {
  let api: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-console-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>控制台</title>');
    fs.writeFileSync(path.join(dir, 'assets/index-AbC123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(os.tmpdir(), 'secret.txt'), 'not for the web');
    api = await startTestApp({ consoleDir: dir });
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(os.tmpdir(), 'secret.txt'), { force: true });
  });
  const server = () => api.app.getHttpServer();

  it('answers every console path with the page, never cached, under a policy that allows only this origin', async () => {
    for (const url of ['/console', '/console/', '/console/forms/wangcheng-shzlfwzx.2021/history']) {
      const page = await request(server()).get(url).expect(200);
      expect(page.text).toContain('<title>控制台</title>');
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    await request(server()).get('/').expect(302).expect('location', '/console/');
  });

  it('serves hashed assets for a year, and nothing outside the assets folder', async () => {
    const asset = await request(server()).get('/console/assets/index-AbC123.js').expect(200);
    expect(asset.text).toBe('console.log(1)');
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    await request(server()).get('/console/assets/missing.js').expect(404);
    for (const sneaky of ['/console/assets/..%2F..%2Fsecret.txt', '/console/assets/%2e%2e%2findex.html'])
      expect((await request(server()).get(sneaky)).text).not.toContain('not for the web');
  });

  it('says how to build the console when it is not built', async () => {
    const bare = await startTestApp({ consoleDir: path.join(dir, 'nothing-here') });
    try {
      const answer = await request(bare.app.getHttpServer()).get('/console/').expect(404);
      expect(answer.text).toContain('npm run build:web');
    } finally {
      await bare.close();
    }
  });
});
