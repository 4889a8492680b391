/**
 * The web chat in a real browser (Debian's chromium via playwright-core) against the real server started the way
 * `serve --demo` starts it: embedded store, Odoo simulator with the demo hospital synced, real assistant.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/index.js';
import { silentLogger } from '../../app/logger.js';
import { startSopServer, type RunningServer } from '../../app/server-app.js';
import { libraryPath } from '../slack/sources.js';

describe('web chat in a browser', () => {
  let running: RunningServer;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sop-web-'));
    const config = loadConfig({ SOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    running = await startSopServer({ config, logger: silentLogger(), demo: true, port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a ward supply coordinator with citations, takes feedback, and refuses what the role may not read', async () => {
    const page = await browser.newPage();
    await page.goto(running.url);
    const seed = running.demo!.simulator.seed;
    const ward = seed.users.find((u) => u.roles.includes('ward-supply-coordinator'))!;
    const path = (source: string | null) => libraryPath(source ?? '', seed.documentPaths);
    await page.getByLabel('Ask as').selectOption(ward.login);

    await page.getByLabel('Your question').fill('how do i order gloves and aprons from central stores for my ward in odoo?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const answer = page.locator('article.answer').first();
    await answer.waitFor();
    expect(await answer.getAttribute('data-answered')).toBe('true');
    const first = answer.locator('li.citation').first();
    expect(path(await first.getAttribute('data-source'))).toBe('Inventory/ward-requisitions.md');
    expect(await first.locator('a').getAttribute('href')).toMatch(/\/odoo\/documents\.document\/\d+$/);

    await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
    await expect.poll(() => answer.locator('.fb-status').textContent()).toContain('Thanks');

    await page.getByLabel('Your question').fill('the vaccine fridge on our ward alarmed, what do we do with the vaccines');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const refusal = page.locator('article.answer').nth(1);
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-answered')).toBe('false');
    // Citations and the closest SOPs a refusal points to alike.
    const sources = await refusal.locator('li.citation, li.related-sop').evaluateAll((els) => els.map((e) => e.getAttribute('data-source')));
    expect(sources.map(path).filter((s) => s.startsWith('Pharmacy/'))).toEqual([]);
    await page.close();
  });
});
