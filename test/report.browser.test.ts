import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { createEngine } from '../src/engine/engine.js';
import { parseJsonLines } from '../src/events/jsonl.js';
import { createReportRecorder } from '../src/report/collect.js';
import { renderReport } from '../src/report/html.js';
import { cli, EXAMPLES, removeDir, tempDir } from './support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const MISSING = !fs.existsSync(CHROMIUM);
// Outside CI a missing browser skips these tests; CI installs it first
// (.ci/browser.sh), so there they always run.
const SKIP = MISSING && !process.env.CI;
const TITLE = SKIP
  ? `report page in headless Chromium (skipped: no ${CHROMIUM}; run bash .ci/browser.sh)`
  : 'report page in headless Chromium';

const SALES_ORDER = path.join(EXAMPLES, 'sales-order-lifecycle.jsonl');
const AT = '2026-11-02T09:00:00+07:00';

/** Events whose text tries to run script in the page. */
const HOSTILE = [
  {
    id: 'h-01',
    source: 'act',
    type: 'customer.created',
    at: AT,
    key: 'KH-<b>9</b>',
    data: {
      name: '<script>window.__pwned=1</script> & "Công ty"',
      salesEmployee: 'NV-1',
    },
  },
  {
    id: '"><img src=x onerror="window.__pwned=2">',
    source: 'crm',
    type: 'product.created',
    at: AT,
    key: 'SP-1',
    data: { name: '<img src=x onerror="window.__pwned=3">', price: 1 },
  },
];

/** Runs the command line in this process, as `bin/lienthong.js` would. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    stdin: Readable.from([]),
    errIsTTY: false,
  });

  return { code, stdout, stderr };
}

interface Opened {
  page: Page;
  problems: string[];
}

describe.skipIf(SKIP)(TITLE, () => {
  let dir: string;
  let context: BrowserContext;
  const requested: string[] = [];

  async function open(file: string): Promise<Opened> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(pathToFileURL(file).href);

    return { page, problems };
  }

  beforeAll(async () => {
    dir = tempDir('lienthong-report-');
    context = await chromium.launchPersistentContext(
      path.join(dir, 'profile'),
      {
        executablePath: CHROMIUM,
        headless: true,
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
        viewport: { width: 1600, height: 1000 },
      },
    );
    // The page must need nothing but itself: refuse and remember the rest.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();

      requested.push(url);

      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    if (dir) removeDir(dir);
  });

  it('shows each record of a replay with its statuses and lit states', async () => {
    const out = path.join(dir, 'sales-order.html');
    // The real command line once, as people run it.
    const spawned = cli(['replay', SALES_ORDER, '--html', out]);
    expect(spawned.code).toBe(0);
    expect(spawned.stderr).toContain(`wrote ${out}`);

    const { page, problems } = await open(out);
    const order = page.locator('details.rec[id="r-order:DH-0001"]');
    const lit = await order
      .locator('.diagram [data-state].st.on')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
    const proposeRow = order.locator('tbody tr', { hasText: 'so-05' });

    expect(await page.locator('details.rec').count()).toBe(5);
    expect(await order.locator('summary').innerText()).toContain(
      'Đã ghi doanh số',
    );
    expect(await order.locator('tbody tr').count()).toBe(7);
    expect(await proposeRow.innerText()).toMatch(/SO-C4\s+Đề nghị ghi/);
    expect(await proposeRow.innerText()).toContain('salesOrder.upsert');
    expect(await proposeRow.innerText()).toContain(
      'Bản nháp (draft) → Đề nghị ghi (proposed)',
    );
    expect(lit.sort()).toEqual([
      'active.delivery.delivered',
      'active.payment.paid',
      'active.revenue.recorded',
      'active.status.completed',
    ]);
    expect(
      await page
        .locator('details.rec[id="r-invoice:HD-0001"] summary')
        .innerText(),
    ).toContain('Đã xuất');

    const shot = path.join(dir, 'sales-order.png');
    await page.screenshot({ path: shot, fullPage: true });
    const keep = process.env.LIENTHONG_SCREENSHOT_DIR;
    if (keep) fs.copyFileSync(shot, path.join(keep, 'report.png'));
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    expect(requested).toEqual([]);
  });

  it('filters records by code, by status without diacritics, and by rule', async () => {
    const out = path.join(dir, 'filter.html');
    expect((await run(['replay', SALES_ORDER, '--html', out])).code).toBe(0);
    const { page, problems } = await open(out);
    const visible = () =>
      page
        .locator('details.rec:not([hidden])')
        .evaluateAll((nodes) => nodes.map((n) => n.id));
    const filter = async (text: string, shown: string) => {
      await page.fill('#filter', text);
      await page.waitForFunction((expected) => {
        // Runs in the page, where `document` exists.
        const page = globalThis as unknown as {
          document: { getElementById(id: string): { textContent: string } };
        };

        return page.document.getElementById('shown').textContent === expected;
      }, shown);
    };

    await filter('HD-0001', '1 / 5 records');
    expect(await visible()).toEqual(['r-invoice:HD-0001']);
    await filter('da ghi doanh so', '1 / 5 records');
    expect(await visible()).toEqual(['r-order:DH-0001']);
    await filter('PRD-C1', '2 / 5 records');
    expect(await visible()).toEqual(['r-product:SP-GHE', 'r-product:SP-BAN']);
    await filter('', '5 / 5 records');
    expect(problems).toEqual([]);
  });

  it('draws a folded record’s timeline and statechart when it is unfolded', async () => {
    const recorder = createReportRecorder('salesOrder');
    const engine = createEngine({ inspect: recorder.inspect });
    engine.run(parseJsonLines(fs.readFileSync(SALES_ORDER, 'utf8')), {
      onResult: recorder.onResult,
    });
    const out = path.join(dir, 'folded.html');
    fs.writeFileSync(
      out,
      renderReport(recorder.build(engine, 'folded'), { openUpTo: 0 }),
    );

    const { page, problems } = await open(out);
    const invoice = page.locator('details.rec[id="r-invoice:HD-0001"]');
    expect(await invoice.locator('table').count()).toBe(0);
    await invoice.locator('summary').click();
    // The page fills the record on its toggle event, a task after the click.
    await invoice.locator('.diagram svg').waitFor();

    expect(await invoice.locator('tbody tr').count()).toBe(4);
    expect(
      await invoice.locator('.diagram [data-state="issued"].on').count(),
    ).toBe(1);
    expect(problems).toEqual([]);
  });

  it('shows hostile event text as text and runs none of it', async () => {
    const log = path.join(dir, 'hostile.jsonl');
    fs.writeFileSync(
      log,
      HOSTILE.map((event) => JSON.stringify(event)).join('\n') + '\n',
    );
    const out = path.join(dir, 'hostile.html');
    expect((await run(['replay', log, '--html', out])).code).toBe(0);

    const { page, problems } = await open(out);
    const text = await page.locator('body').innerText();

    expect(await page.evaluate(() => '__pwned' in globalThis)).toBe(false);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('summary b').count()).toBe(0);
    expect(text).toContain('customer:KH-<b>9</b>');
    expect(text).toContain('<script>window.__pwned=1</script>');
    expect(text).toContain('"><img src=x onerror="window.__pwned=2">');
    expect(problems).toEqual([]);
  });
});
