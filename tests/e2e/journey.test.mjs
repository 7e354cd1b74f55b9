// Browser journeys through the hezuo web pages. The 合作办 (office) user: log in → 项目库
// filtered by 阶段 and 区县 → 新建项目 with one mistake, fixed → detail → 变更阶段 → 驾驶舱 →
// 工作简报. A lead unit: its reminders → progress on a key item with an evidence file → the
// office sees the status change and accepts the report.
//
// Runs Debian's Chromium (/usr/bin/chromium) through playwright-core against a fresh demo
// server: `$HEZUO_BIN demo --db sqlite://<tmp>/hezuo.db --bind 127.0.0.1:0`.
// Nothing is built here: build the binary first (`cargo build` at the repo root).
//
// Environment:
//   HEZUO_BIN           path of the hezuo binary (default target/debug/hezuo; relative paths
//                       are taken from the repository root)
//   CHROMIUM_PATH       browser executable (default /usr/bin/chromium)
//   HEZUO_DEMO_PASSWORD office password, only if the demo does not print it
//   HEZUO_E2E_KEEP=1    keep the temporary database directory
//
// Screenshots go to tests/e2e/artifacts/ (gitignored).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
const ARTIFACTS = join(HERE, 'artifacts');
const BIN_SETTING = process.env.HEZUO_BIN || 'target/debug/hezuo';
const BIN = isAbsolute(BIN_SETTING) ? BIN_SETTING : resolve(REPO_ROOT, BIN_SETTING);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const STARTUP_MS = 120_000; // the demo load is slow in a debug build
const JOURNEY_MS = 180_000;

// Values the journey types; the stage change goes 在谈 → 签约.
const DISTRICT = '长兴县';
const FROM_STAGE = '在谈';
const TO_STAGE = '签约';

let server; // { child, url, password, tmp, stderr: string[] }
let browser;

/** Last lines of the server's stderr, for failure messages. */
function serverLog() {
  return server ? server.stderr.slice(-30).join('\n') : '(server not started)';
}

/** Starts the demo server and resolves once it prints its address (and the demo logins). */
function startServer() {
  if (!existsSync(BIN)) {
    throw new Error(`hezuo binary not found at ${BIN}. Build it first (cargo build at the repo root) or set HEZUO_BIN.`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'hezuo-e2e-'));
  const db = `sqlite://${join(tmp, 'hezuo.db')}`;
  // cwd = tmp so a hezuo.toml in the developer's working directory cannot change the run.
  const child = spawn(BIN, ['demo', '--db', db, '--bind', '127.0.0.1:0'], {
    cwd: tmp,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state = { child, tmp, url: null, password: null, stdout: [], stderr: [] };
  server = state;
  createInterface({ input: child.stderr }).on('line', (l) => state.stderr.push(l));

  return new Promise((resolvePromise, reject) => {
    let settleTimer;
    const finish = (err) => {
      clearTimeout(startTimer);
      clearTimeout(settleTimer);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolvePromise(state);
    };
    const startTimer = setTimeout(
      () => finish(new Error(`hezuo did not print its address within ${STARTUP_MS / 1000} s.\nstdout:\n${state.stdout.join('\n')}\nstderr:\n${serverLog()}`)),
      STARTUP_MS,
    );
    const onExit = (code, signal) =>
      finish(new Error(`hezuo exited early (code ${code}, signal ${signal}).\nstdout:\n${state.stdout.join('\n')}\nstderr:\n${serverLog()}`));
    child.on('exit', onExit);
    child.on('error', (e) => finish(e));
    createInterface({ input: child.stdout }).on('line', (line) => {
      state.stdout.push(line);
      const started = line.match(/hezuo 已启动：(http:\/\/127\.0\.0\.1:\d+\/)/);
      if (started) {
        state.url = started[1];
        // The demo logins follow immediately; give them a moment, then go on without.
        settleTimer = setTimeout(() => finish(), 5_000);
      }
      const office = line.match(/用户名\s+office\s+密码\s+(\S+)/);
      if (office) {
        state.password = office[1];
        if (state.url) finish();
      }
    });
  });
}

async function stopServer() {
  if (!server) return;
  const { child, tmp } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT'); // graceful shutdown (ctrl-c)
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  if (!process.env.HEZUO_E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp}`);
}

// Last resort: never leave the server running, even if the runner is interrupted.
process.on('exit', () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
});

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of readdirSync(ARTIFACTS)) if (f.startsWith('failure-')) rmSync(join(ARTIFACTS, f));
  await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}, { timeout: STARTUP_MS + 40_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await stopServer();
});

/** Clicks and waits for the next document to load (form posts, redirects, links). */
async function clickAndLoad(page, locator) {
  await Promise.all([page.waitForEvent('load'), locator.click()]);
}

async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

test('office journey: login, filter, create with a fix, change stage', { timeout: JOURNEY_MS }, async (t) => {
  const base = server.url;
  const password = server.password || process.env.HEZUO_DEMO_PASSWORD;
  assert.ok(password, `the demo did not print the office password; set HEZUO_DEMO_PASSWORD.\nstdout:\n${server.stdout.join('\n')}`);

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(30_000);
  const problems = []; // script errors and console errors on our pages
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error' || /favicon/.test(m.location().url || '')) return;
    // The form sent back with its errors is answered 422 on purpose; Chromium logs that.
    if (/status of 422/.test(m.text())) return;
    problems.push(`console: ${m.text()} (${m.location().url})`);
  });

  let failed = false;
  const step = async (name, fn) => {
    if (failed) return t.test(name, { skip: 'an earlier step failed' }, () => {});
    return t.test(name, async () => {
      try {
        await fn();
      } catch (e) {
        failed = true;
        const safe = name.replace(/[^\w\u4e00-\u9fff-]+/g, '_');
        await page.screenshot({ path: join(ARTIFACTS, `failure-${safe}.png`), fullPage: true }).catch(() => {});
        e.message += `\n(page: ${page.url()})\n--- server stderr (tail) ---\n${serverLog()}`;
        throw e;
      }
    });
  };

  const projectName = `E2E测试项目${Date.now().toString(36)}`;
  let detailUrl;

  await step('log in as office', async () => {
    await page.goto(new URL('/projects', base).href);
    assert.match(new URL(page.url()).pathname, /^\/login$/, 'an anonymous visit should land on the login page');
    await page.locator('#username').fill('office');
    await page.locator('#password').fill(password);
    await clickAndLoad(page, page.getByRole('button', { name: '登录' }));
    assert.equal(new URL(page.url()).pathname, '/projects', `login failed: ${await page.locator('.alert').allTextContents()}`);
    assert.equal((await page.locator('main h1').textContent()).trim(), '项目库');
    assert.match(await page.locator('header .who').textContent(), /合作办|office/);
  });

  await step(`filter 项目库 by 阶段 = ${TO_STAGE} and 区县 = ${DISTRICT}`, async () => {
    await clickAndLoad(page, page.getByRole('link', { name: '项目库', exact: true }));
    const totals = page.locator('#totals');
    const before = (await totals.textContent()).trim();
    assert.match(before, /共\s*\d+\s*个项目/);
    await page.locator('select[name=stage]').selectOption({ label: TO_STAGE });
    await page.locator('select[name=district]').selectOption({ label: DISTRICT });
    await clickAndLoad(page, page.getByRole('button', { name: '查询' }));

    const url = new URL(page.url());
    assert.equal(url.searchParams.get('stage'), 'signed');
    assert.ok(url.searchParams.get('district'), 'district is in the query');
    // The form shows the chosen filters again.
    assert.equal(await page.locator('select[name=stage] option:checked').textContent(), TO_STAGE);
    assert.equal(await page.locator('select[name=district] option:checked').textContent(), DISTRICT);

    const after = (await totals.textContent()).trim();
    assert.notEqual(after, before, 'the totals line changes with the filter');
    const total = Number(after.match(/共\s*(\d+)\s*个项目/)[1]);
    assert.ok(total > 0, `the demo should have signed projects in ${DISTRICT}: ${after}`);
    assert.ok(total < Number(before.match(/共\s*(\d+)\s*个项目/)[1]), 'fewer projects after filtering');

    const rows = page.locator('table.grid tbody tr');
    const n = await rows.count();
    assert.ok(n > 0 && n <= total, `rows shown (${n}) fit the total (${total})`);
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      assert.equal((await row.locator('.stage').textContent()).trim(), TO_STAGE, `row ${i + 1} stage`);
      assert.match(await row.locator('td').nth(1).textContent(), new RegExp(DISTRICT), `row ${i + 1} district`);
    }
    if ((await page.locator('.pager').textContent()).includes('/ 1 页')) {
      assert.equal(n, total, 'a single page shows every project counted');
    }
    assert.match(await page.locator('tfoot .totals').textContent(), new RegExp(`合计（全部 ${total} 个项目）`));
    await shot(page, 'list.png');
  });

  // What the user types; investment_wan starts wrong.
  const typed = {
    '#f-name': projectName,
    '#f-investor': '上海浦江智能装备有限公司',
    '#f-summary': '年产 50 万台智能装备生产线\n含研发中心',
    '#f-origin_detail': '上海市嘉定区',
    '#f-land_mu': '85.5',
    '#f-promoter': '王招商',
    '#f-commissioner': '李专员',
  };
  const chosen = {
    '#f-stage': FROM_STAGE,
    '#f-maturity': '实地考察',
    '#f-origin': '上海',
    '#f-district_code': DISTRICT,
  };

  await step('新建项目 with a wrong amount shows the field error and keeps the input', async () => {
    await clickAndLoad(page, page.getByRole('link', { name: '新建项目' }));
    assert.equal(new URL(page.url()).pathname, '/projects/new');
    for (const [sel, value] of Object.entries(typed)) await page.locator(sel).fill(value);
    for (const [sel, label] of Object.entries(chosen)) await page.locator(sel).selectOption({ label });
    // Only the chosen district's platforms are offered.
    const platforms = await page.$$eval('#f-platform_id option', (os) => os.filter((o) => !o.hidden).map((o) => o.textContent));
    assert.deepEqual(platforms, ['不在平台内', '长三角（湖州）产业合作区'], `platforms offered in ${DISTRICT}`);
    await page.locator('#f-investment_wan').fill('一亿');
    await page.locator('#f-flags').getByLabel('瞪羚').check();
    await clickAndLoad(page, page.getByRole('button', { name: '保存' }));

    assert.equal(new URL(page.url()).pathname, '/projects', 'the form is shown again after a failed save');
    await page.locator('.alert.error').waitFor();
    assert.match(await page.locator('.alert.error').textContent(), /有 1 处需要修改/);
    // The error sits next to its field, in the same .field block.
    const field = page.locator('.field.has-error');
    assert.equal(await field.count(), 1, 'exactly one field is marked');
    assert.equal(await field.locator('#f-investment_wan').count(), 1, 'the marked field is 协议投资');
    const error = field.locator('.field-error');
    assert.match(await error.textContent(), /协议投资.*“一亿”不是有效的金额/);
    assert.equal(await page.locator('.field-error').count(), 1);
    // Every typed value survived the round trip.
    assert.equal(await page.locator('#f-investment_wan').inputValue(), '一亿');
    for (const [sel, value] of Object.entries(typed)) {
      assert.equal(await page.locator(sel).inputValue(), value, `${sel} kept`);
    }
    for (const [sel, label] of Object.entries(chosen)) {
      assert.equal((await page.locator(`${sel} option:checked`).textContent()).trim(), label, `${sel} kept`);
    }
    assert.ok(await page.locator('#f-flags').getByLabel('瞪羚').isChecked(), 'flag kept');
    // app.js moves the focus to the field to fix.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-investment_wan');
    await shot(page, 'form-error.png');

    await page.locator('#f-investment_wan').fill('12000');
    await clickAndLoad(page, page.getByRole('button', { name: '保存' }));
    const path = new URL(page.url()).pathname;
    assert.match(path, /^\/projects\/\d+$/, `saved project lands on its detail page: ${await page.locator('.field-error, .alert').allTextContents()}`);
    detailUrl = page.url();
  });

  await step('detail page shows what was saved', async () => {
    const h1 = page.locator('main h1');
    assert.match(await h1.textContent(), new RegExp(projectName));
    assert.equal((await h1.locator('.stage').textContent()).trim(), FROM_STAGE);
    const facts = await page.locator('dl.facts').textContent();
    for (const expected of ['上海浦江智能装备有限公司', '1.2亿元', '12,000', DISTRICT, '瞪羚', '85.5亩', '王招商', '李专员', '实地考察']) {
      assert.ok(facts.includes(expected), `detail shows ${expected}`);
    }
    assert.match(await page.locator('.timeline').textContent(), new RegExp(FROM_STAGE));
  });

  await step(`变更阶段 ${FROM_STAGE} → ${TO_STAGE}`, async () => {
    const before = await page.locator('.timeline li').count();
    await page.getByRole('button', { name: '变更阶段' }).click();
    const dialog = page.locator('#stage-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.textContent(), new RegExp(`当前阶段：${FROM_STAGE}`));
    await dialog.locator('#stage-to').selectOption({ label: TO_STAGE });
    await page.screenshot({ path: join(ARTIFACTS, 'stage-dialog.png') });
    await clickAndLoad(page, dialog.getByRole('button', { name: '确认变更' }));

    assert.equal(page.url(), detailUrl, `back on the detail page: ${await page.locator('.alert').allTextContents()}`);
    assert.equal(await page.locator('#stage-dialog[open]').count(), 0, 'the dialog is closed');
    assert.equal((await page.locator('main h1 .stage').textContent()).trim(), TO_STAGE);
    const items = page.locator('.timeline li');
    assert.equal(await items.count(), before + 1, 'one more timeline entry');
    const stages = (await items.locator('strong').allTextContents()).map((s) => s.trim());
    assert.ok(stages.includes(TO_STAGE), `timeline shows ${TO_STAGE}: ${stages}`);
    assert.ok(stages.includes(FROM_STAGE), `timeline still shows ${FROM_STAGE}: ${stages}`);
    // A signed project gets its signing date.
    const facts = await page.locator('dl.facts').textContent();
    assert.match(facts, /签约日期\s*\d{4}-\d{2}-\d{2}/);
    await shot(page, 'detail.png');
  });

  await step('驾驶舱: the lagging card drills down to as many projects as it counts', async () => {
    await clickAndLoad(page, page.getByRole('link', { name: '驾驶舱', exact: true }));
    assert.equal(new URL(page.url()).pathname, '/cockpit');
    const completion = page.locator('.kpi', { hasText: '年度投资完成率' });
    assert.match(await completion.locator('.kpi-value').textContent(), /^\d+\.\d%$/);
    assert.ok((await page.locator('.charts svg').count()) >= 4, 'four server-drawn charts');
    await shot(page, 'cockpit.png');
    const lagging = page.locator('.kpi', { hasText: '进度滞后项目' });
    const count = Number((await lagging.locator('.kpi-value').textContent()).replace('个', ''));
    await clickAndLoad(page, lagging);
    assert.equal(new URL(page.url()).pathname, '/cockpit/projects');
    assert.match(await page.locator('main h1').textContent(), new RegExp(`（${count}个）`));
    assert.equal(await page.locator('table.grid tbody tr td a').count(), count);
  });

  await step('工作简报: the preview states the cockpit figure and downloads as Word', async () => {
    await clickAndLoad(page, page.getByRole('link', { name: '工作简报', exact: true }));
    assert.equal(new URL(page.url()).pathname, '/reports/bulletin');
    const overview = await page.locator('.bulletin-text').first().textContent();
    assert.match(overview, /^1(—\d+)?月，全市.*(完成率\d+\.\d%|签约引资项目\d+个)/);
    assert.ok((await page.locator('.bulletin svg').count()) >= 1, 'charts in the preview');
    await shot(page, 'bulletin.png');
    const href = await page.locator('#download').getAttribute('href');
    const resp = await page.request.get(new URL(href, base).href);
    assert.equal(resp.status(), 200);
    assert.match(resp.headers()['content-type'], /wordprocessingml/);
    const body = await resp.body();
    assert.equal(body.subarray(0, 2).toString(), 'PK', 'a .docx (zip)');
  });

  await step('no script or console errors', async () => {
    assert.deepEqual(problems, []);
  });

  await context.close();
});

// A lead unit (市投资促进服务中心, `zhaoshang`) logs in to its reminders, files this month's
// progress on an item with an overdue milestone, with an evidence file; the office then sees
// the item move from 滞后 to 推进中 with the file, and accepts the report.
test('unit journey: reminders, progress with evidence, the office sees the change', { timeout: JOURNEY_MS }, async () => {
  const base = server.url;
  const password = server.password || process.env.HEZUO_DEMO_PASSWORD;
  const ITEM = '长三角产业链协同招商专项行动';
  const login = async (user) => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(new URL('/login', base).href);
    await page.locator('#username').fill(user);
    await page.locator('#password').fill(password);
    await clickAndLoad(page, page.getByRole('button', { name: '登录' }));
    return { context, page };
  };
  const unit = await login('zhaoshang');
  try {
    const page = unit.page;
    assert.equal(new URL(page.url()).pathname, '/key-items', 'a lead unit lands on its key items');
    const reminders = await page.locator('#reminders').textContent();
    assert.match(reminders, /已逾期\d+天/);
    assert.match(reminders, new RegExp(ITEM));
    const row = page.locator('#items tbody tr', { hasText: ITEM });
    assert.match(await row.locator('.item-status').textContent(), /滞后/);
    await shot(page, 'unit-key-items.png');

    await clickAndLoad(page, row.getByRole('link', { name: ITEM }));
    const itemUrl = page.url();
    const form = page.locator('#report-form');
    await form.locator('#r-content').fill('产业链招商推介会已在上海举办，签约项目3个。');
    await form.locator('input[name=done_milestones]').first().check();
    await form.locator('#r-evidence').setInputFiles({
      name: '推介会签约清单.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% 推介会签约清单\n'),
    });
    await clickAndLoad(page, form.getByRole('button', { name: '提交进展' }));
    assert.match(page.url(), /\/key-items\/\d+\?filed=1$/, `filed: ${await page.locator('.alert').allTextContents()}`);
    assert.match(await page.locator('#status').textContent(), /推进中/);
    assert.match(await page.locator('#progress').textContent(), /推介会签约清单\.pdf/);
    await shot(page, 'unit-filed.png');

    const office = await login('office');
    try {
      const op = office.page;
      await op.goto(itemUrl);
      assert.match(await op.locator('#status').textContent(), /推进中/);
      assert.match(await op.locator('#milestones').textContent(), /逾期完成/);
      const first = op.locator('#progress tbody tr').first();
      assert.match(await first.textContent(), /待审核/);
      const file = await op.request.get(new URL(await first.locator('a[href^="/evidence/"]').getAttribute('href'), base).href);
      assert.equal(file.status(), 200);
      assert.match(file.headers()['content-disposition'], /^attachment;/);
      await clickAndLoad(op, first.getByRole('button', { name: '确认' }));
      assert.match(await op.locator('#progress tbody tr').first().textContent(), /已确认/);
      await shot(op, 'office-reviewed.png');
    } finally {
      await office.context.close();
    }
  } finally {
    await unit.context.close();
  }
});
