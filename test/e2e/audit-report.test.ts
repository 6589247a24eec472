import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

const CHROMIUM = process.env.WARDEN_CHROMIUM ?? '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '..', '..');
const artifacts = path.join(root, 'test-artifacts');
const work = mkdtempSync(path.join(tmpdir(), 'warden-e2e-report-'));
// A missing browser fails under CI (the CI installs Debian's chromium) and skips elsewhere.
const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true';

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skip)('the HTML audit report in headless Chromium', () => {
  it('shows the agents, the findings and an access graph', { timeout: 240_000 }, async () => {
    // The generated example: real export formats, fake credentials built at generation time.
    const example = path.join(work, 'acme');
    const gen = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-acme.mjs'), example], {
      encoding: 'utf8',
    });
    expect(gen.status, gen.stderr).toBe(0);
    const io = memoryIo({ cwd: work, env: {} });
    const code = await run(
      ['--db', path.join(work, 'warden.db'), 'audit', example, '--out', 'reports', '--format', 'html,json'],
      io,
    );
    expect(code, io.err()).toBe(0);
    const html = path.join(work, 'reports', 'warden-report.html');
    expect(existsSync(html)).toBe(true);

    const { chromium } = await import('playwright-core');
    // A fresh profile per run (playwright passes it as --user-data-dir).
    const browser = await chromium.launchPersistentContext(path.join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(html).href);
      expect(await page.locator('#overview h2').isVisible()).toBe(true);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: path.join(artifacts, 'audit-report-overview.png'), fullPage: false });

      await page.goto(pathToFileURL(html).href + '#agents');
      const agentRows = page.locator('#agents tbody tr');
      expect(await agentRows.count()).toBeGreaterThanOrEqual(25);
      expect(await page.locator('#agents').isVisible()).toBe(true);

      await page.goto(pathToFileURL(html).href + '#findings');
      const findingRows = page.locator('#findings-table tbody tr');
      expect(await findingRows.count()).toBeGreaterThan(50);
      expect(await findingRows.first().isVisible()).toBe(true);
      await page.fill('#f-q', 'leaked');
      expect(await page.locator('#findings-table tbody tr:visible').count()).toBeLessThan(
        await findingRows.count(),
      );

      // The riskiest agent's page: its access graph is drawn with nodes and edges.
      await page.goto(pathToFileURL(html).href + '#agents');
      await page.locator('#agents tbody tr a').first().click();
      const graph = page.locator('section.agent-page.shown svg.graph');
      expect(await graph.isVisible()).toBe(true);
      expect(await graph.locator('g.node').count()).toBeGreaterThan(2);
      expect(await graph.locator('path.edge').count()).toBeGreaterThan(1);
      const box = await graph.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      await page.screenshot({ path: path.join(artifacts, 'audit-report-agent.png'), fullPage: false });
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
