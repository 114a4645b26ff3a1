// End-to-end tests: the real Go server on a temporary SQLite database, driven
// in Debian's headless Chromium through playwright-core.
//
//   npm run test:e2e            (run `npm run build` first: the binary embeds frontend/dist)
//
// Env: CHROMIUM (default /usr/bin/chromium), E2E_KEEP=1 keeps the temp dir.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const frontend = resolve(here, '..');
const root = resolve(frontend, '..');
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const tmp = mkdtempSync(join(tmpdir(), 'aiusage-e2e-'));
const bin = join(tmp, 'aiusage');
const dbURL = `sqlite://${join(tmp, 'test.db')}`;
const DEMO_KEY = 'e2e-demo-key-0123456789abcdef';
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const n = (x) => fmt.format(x);
const pct = (p) => {
  const r = Math.round(p * 10) / 10;
  return `${r.toFixed(Number.isInteger(r) ? 0 : 1)}%`;
};

let server;
let serverLog = '';
let browser;
let base;
let port;

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, what, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function assertEq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function gql(key, query, variables = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const BALANCE_Q = `{ creditBalance { remaining allowance used usedPercent planIncluded planRemaining bundleCredits bundleRemaining remainingValue { formatted } periodEnd } }`;
const CATS_Q = `{ usageByCategory(days: 30) { totalCredits categories { category credits percent value { formatted } } } }`;
const AGENTS_Q = `{ topAgents(first: 5) { agent { id name } frequency estimatedMonthlyCredits estimatedMonthlyCost { formatted } } }`;

async function newPage(width = 1280, height = 900) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`    [pageerror] ${e.message}`));
  return page;
}

async function openDashboard(page, path = '/') {
  await page.goto(base + path);
  await page.getByRole('heading', { level: 1, name: 'AI usage' }).waitFor();
  await page.getByTestId('balance-remaining').waitFor();
}

async function text(page, testId) {
  return (await page.getByTestId(testId).first().textContent())?.trim();
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// ---------------------------------------------------------------- tests
test('demo key signs in automatically; "/" redirects to the usage page', async () => {
  const page = await newPage();
  await openDashboard(page, '/');
  assertEq(new URL(page.url()).pathname, '/settings/billing/ai-usage', 'path after redirect');
  assertEq(await text(page, 'account-name'), 'Demo', 'account name');
  await page.context().close();
});

test('deep link serves the page', async () => {
  const page = await newPage();
  await openDashboard(page, '/settings/billing/ai-usage');
  await page.getByRole('button', { name: 'Buy a credits bundle' }).waitFor();
  await page.context().close();
});

test('balance card shows the API figures', async () => {
  const { creditBalance: b } = await gql(DEMO_KEY, BALANCE_Q);
  const page = await newPage();
  await openDashboard(page);
  assertEq(await text(page, 'balance-remaining'), n(b.remaining), 'remaining');
  assertEq(await text(page, 'balance-allowance'), `/ ${n(b.allowance)}`, 'allowance');
  assertEq(await text(page, 'balance-value'), `≈ ${b.remainingValue.formatted}`, 'value');
  assertEq(await text(page, 'plan-included'), n(b.planIncluded), 'plan included');
  assertEq(await text(page, 'bundle-credits'), n(b.bundleCredits), 'bundle credits');
  const bar = page.getByRole('progressbar');
  assertEq(Number(await bar.getAttribute('aria-valuenow')), Math.round(b.usedPercent * 10) / 10, 'progress value');
  assertEq(await bar.getAttribute('aria-valuemax'), '100', 'progress max');
  const low = b.allowance > 0 ? b.remaining / b.allowance < 0.1 : true;
  assertEq(await page.getByTestId('low-balance').count(), low ? 1 : 0, 'low-balance warning');
  await page.context().close();
});

test('categories show the API figures and a chart', async () => {
  const { usageByCategory: u } = await gql(DEMO_KEY, CATS_Q);
  const page = await newPage();
  await openDashboard(page);
  await page.getByTestId('categories').waitFor();
  for (const c of u.categories) {
    const row = page.locator(`tr[data-category="${c.category}"]`);
    assertEq((await row.locator('[data-field="percent"]').textContent()).trim(), pct(c.percent), `${c.category} percent`);
    assertEq((await row.locator('[data-field="credits"]').textContent()).trim(), n(c.credits), `${c.category} credits`);
    assertEq((await row.locator('[data-field="value"]').textContent()).trim(), c.value.formatted, `${c.category} value`);
  }
  const label = await page.getByRole('img', { name: /Share of credits by category/ }).getAttribute('aria-label');
  if (!label.includes('Images')) throw new Error(`chart label: ${label}`);
  await page.context().close();
});

test('top agents show the API ranking', async () => {
  const { topAgents } = await gql(DEMO_KEY, AGENTS_Q);
  if (topAgents.length === 0) throw new Error('demo account has no agents');
  const page = await newPage();
  await openDashboard(page);
  await page.getByTestId('top-agents').waitFor();
  const items = page.locator('[data-testid="top-agents"] > li');
  assertEq(await items.count(), topAgents.length, 'agent count');
  for (let i = 0; i < topAgents.length; i++) {
    const a = topAgents[i];
    const li = items.nth(i);
    assertEq((await li.locator('[data-field="name"]').textContent()).trim(), a.agent.name, `agent ${i} name`);
    const cost = (await li.locator('[data-field="cost"]').textContent()).trim();
    assertEq(cost, `${a.estimatedMonthlyCost.formatted}/mo`, `agent ${i} cost`);
    assertEq((await li.locator('[data-field="credits"]').textContent()).trim(), `${n(a.estimatedMonthlyCredits)} credits`, `agent ${i} credits`);
  }
  await page.context().close();
});

test('buying a bundle raises the balance once, even on a double click', async () => {
  const before = (await gql(DEMO_KEY, BALANCE_Q)).creditBalance.remaining;
  const page = await newPage();
  await openDashboard(page);
  const opener = page.getByRole('button', { name: 'Buy a credits bundle' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Buy a credits bundle' });
  await dialog.waitFor();
  await page.screenshot({ path: join(artifacts, 'buy-dialog-1280.png') });
  // Keyboard: focus stays inside the dialog.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => !!document.activeElement?.closest('dialog'));
    if (!inside) throw new Error('focus left the dialog');
  }
  const offer = dialog.locator('[data-testid="offers"] > li').first();
  const credits = Number(await offer.getAttribute('data-credits'));
  await offer.getByRole('button').dblclick();
  await dialog.getByTestId('purchase-success').waitFor();
  await sleep(500);
  const after = (await gql(DEMO_KEY, BALANCE_Q)).creditBalance.remaining;
  assertEq(after, before + credits, 'remaining after purchase (API)');
  await waitFor(async () => (await text(page, 'balance-remaining')) === n(after), 'page balance to update');
  await page.keyboard.press('Escape');
  await waitFor(async () => (await page.getByRole('dialog').count()) === 0, 'dialog to close on Escape');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assertEq(focused, 'Buy a credits bundle', 'focus returns to the opener');
  await page.context().close();
});

test('usage recorded through the API shows after a reload', async () => {
  const page = await newPage();
  await openDashboard(page);
  const rec = await gql(
    DEMO_KEY,
    `mutation($k: String!) { recordUsage(input: { category: IMAGE, quantity: 2, idempotencyKey: $k }) { usageRecord { credits } balance { remaining } } }`,
    { k: `e2e-${Date.now()}-${Math.random()}` },
  );
  assertEq(rec.recordUsage.usageRecord.credits, 20, 'IMAGE x2 credits');
  await page.reload();
  await page.getByTestId('balance-remaining').waitFor();
  const { creditBalance: b } = await gql(DEMO_KEY, BALANCE_Q);
  assertEq(b.remaining, rec.recordUsage.balance.remaining, 'API balance after record');
  assertEq(await text(page, 'balance-remaining'), n(b.remaining), 'remaining after reload');
  const { usageByCategory: u } = await gql(DEMO_KEY, CATS_Q);
  const img = u.categories.find((c) => c.category === 'IMAGE');
  await page.getByTestId('categories').waitFor();
  const cell = page.locator('tr[data-category="IMAGE"] [data-field="credits"]');
  assertEq((await cell.textContent()).trim(), n(img.credits), 'image credits after reload');
  await page.context().close();
});

test('a charge made through the API appears on the open page without a reload', async () => {
  const page = await newPage();
  await openDashboard(page);
  await page.getByTestId('categories').waitFor();
  await waitFor(async () => (await page.getByTestId('live-status').getAttribute('data-state')) === 'live', 'live updates to connect');
  await page.evaluate(() => (window.__noReload = true));
  const { usageByCategory: u0 } = await gql(DEMO_KEY, CATS_Q);
  const img0 = u0.categories.find((c) => c.category === 'IMAGE').credits;

  const charged = Date.now();
  const rec = await gql(
    DEMO_KEY,
    `mutation($k: String!) { recordUsage(input: { category: IMAGE, quantity: 3, idempotencyKey: $k }) { balance { remaining } } }`,
    { k: `e2e-live-${Date.now()}-${Math.random()}` },
  );
  const remaining = rec.recordUsage.balance.remaining;
  await waitFor(async () => (await text(page, 'balance-remaining')) === n(remaining), 'the balance to update live', 5000);
  const took = Date.now() - charged;
  const cell = page.locator('tr[data-category="IMAGE"] [data-field="credits"]');
  await waitFor(async () => (await cell.textContent()).trim() === n(img0 + 30), 'image credits to update live', 5000);
  await waitFor(async () => (await page.getByTestId('live-status').getAttribute('data-recent')) === 'true', 'the "updated" indication');
  assertEq(await page.evaluate(() => window.__noReload === true), true, 'no reload happened');
  console.log(`        (charge visible on the page ${took} ms after the API call)`);
  await page.screenshot({ path: join(artifacts, 'live-update-1280.png') });
  await page.context().close();
});

test('after a server restart the page reconnects and keeps updating', async () => {
  const page = await newPage();
  await openDashboard(page);
  const status = page.getByTestId('live-status');
  await waitFor(async () => (await status.getAttribute('data-state')) === 'live', 'live updates to connect');
  await page.evaluate(() => (window.__noReload = true));

  await stopServer();
  await waitFor(async () => (await status.getAttribute('data-state')) === 'reconnecting', 'the page to show it is reconnecting');
  await page.screenshot({ path: join(artifacts, 'reconnecting-1280.png') });
  // A charge while the page is disconnected: picked up on reconnection.
  await launchServer();
  const rec = await gql(
    DEMO_KEY,
    `mutation($k: String!) { recordUsage(input: { category: VIDEO, idempotencyKey: $k }) { balance { remaining } } }`,
    { k: `e2e-restart-${Date.now()}-${Math.random()}` },
  );
  await waitFor(async () => (await status.getAttribute('data-state')) === 'live', 'the page to reconnect', 20000);
  await waitFor(
    async () => (await text(page, 'balance-remaining')) === n(rec.recordUsage.balance.remaining),
    'the balance to catch up after reconnecting',
    5000,
  );
  // And live events flow again.
  const again = await gql(
    DEMO_KEY,
    `mutation($k: String!) { recordUsage(input: { category: CHAT, credits: 7, idempotencyKey: $k }) { balance { remaining } } }`,
    { k: `e2e-restart2-${Date.now()}-${Math.random()}` },
  );
  await waitFor(async () => (await text(page, 'balance-remaining')) === n(again.recordUsage.balance.remaining), 'a live update after the restart', 5000);
  assertEq(await page.evaluate(() => window.__noReload === true), true, 'no reload happened');
  await page.context().close();
});

test('agent detail lists its runs, paged', async () => {
  const { topAgents } = await gql(DEMO_KEY, AGENTS_Q);
  const top = topAgents[0];
  const runsData = await gql(
    DEMO_KEY,
    `query($id: ID!) { node(id: $id) { ... on Agent { runs(first: 10) { totalCount pageInfo { hasNextPage } } } } }`,
    { id: top.agent.id },
  );
  const total = runsData.node.runs.totalCount;
  const page = await newPage();
  await openDashboard(page);
  await page.locator('[data-testid="top-agents"] > li').first().getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: top.agent.name });
  await dialog.waitFor();
  if (total > 0) {
    await dialog.getByTestId('agent-runs').waitFor();
    const rows = dialog.locator('[data-testid="agent-runs"] tbody tr');
    assertEq(await rows.count(), Math.min(10, total), 'first page of runs');
    await page.screenshot({ path: join(artifacts, 'agent-detail-1280.png') });
    if (runsData.node.runs.pageInfo.hasNextPage) {
      await dialog.getByRole('button', { name: 'Load more runs' }).click();
      await waitFor(async () => (await rows.count()) === Math.min(20, total), 'second page of runs');
    }
  } else {
    await dialog.getByText(/hasn't completed a run/).waitFor();
  }
  await dialog.getByRole('button', { name: 'Close' }).click();
  await waitFor(async () => (await page.getByRole('dialog').count()) === 0, 'agent dialog to close');
  await page.context().close();
});

test('Ask Vista link navigates to the usage page without a reload', async () => {
  const page = await newPage();
  await openDashboard(page);
  await page.getByRole('link', { name: 'Plan', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Plan' }).waitFor();
  assertEq(new URL(page.url()).pathname, '/settings/billing/plan', 'plan tab path');
  await page.evaluate(() => (window.__noReload = true));
  await page.getByRole('button', { name: 'Ask Vista' }).click();
  const panel = page.getByRole('dialog', { name: 'Ask Vista' });
  await panel.getByTestId('vista-link').waitFor();
  const { usageLink } = await gql(DEMO_KEY, `{ usageLink { url title summary } }`);
  assertEq(await panel.getByTestId('vista-summary').textContent(), usageLink.summary, 'Vista summary');
  await page.screenshot({ path: join(artifacts, 'ask-vista-1280.png') });
  await panel.getByTestId('vista-link').click();
  await page.getByRole('heading', { level: 1, name: 'AI usage' }).waitFor();
  assertEq(new URL(page.url()).pathname, usageLink.url, 'path after the Vista link');
  assertEq(await page.evaluate(() => window.__noReload === true), true, 'navigated without reloading');
  assertEq(await page.getByRole('dialog').count(), 0, 'panel closed');
  await page.context().close();
});

test('a bad key shows an error; a manual key signs in', async () => {
  const page = await newPage();
  await openDashboard(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  const input = page.getByLabel('API key');
  await input.waitFor();
  await input.fill('definitely-not-a-valid-key');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('signin-error').waitFor();
  const msg = await text(page, 'signin-error');
  if (!/not accepted/.test(msg)) throw new Error(`unexpected error text: ${msg}`);
  await page.screenshot({ path: join(artifacts, 'signin-error-1280.png') });
  await input.fill(DEMO_KEY);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('balance-remaining').waitFor();
  assertEq(await page.evaluate(() => Object.values(sessionStorage).includes('e2e-demo-key-0123456789abcdef')), true, 'key kept in sessionStorage');
  await page.context().close();
});

test('a fresh account shows intentional empty states', async () => {
  const out = execFileSync(bin, ['account', 'create', '--name', 'Fresh Co', '--plan', 'Pro'], {
    env: { ...process.env, DATABASE_URL: dbURL },
    encoding: 'utf8',
  });
  const key = out.match(/^api_key:\s*(\S+)\s*$/m)?.[1];
  if (!key) throw new Error(`no api_key in output: ${out}`);
  const page = await newPage();
  await openDashboard(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('balance-remaining').waitFor();
  assertEq(await text(page, 'account-name'), 'Fresh Co', 'account name');
  await page.getByText('No credits used in the last 30 days').waitFor();
  await page.getByText('No agents yet').waitFor();
  const { creditBalance: b } = await gql(key, BALANCE_Q);
  assertEq(await text(page, 'balance-remaining'), n(b.remaining), 'fresh remaining');
  await page.screenshot({ path: join(artifacts, 'empty-1280.png'), fullPage: true });
  await page.context().close();
});

test('full-page screenshots at 1280 px and 390 px', async () => {
  for (const [w, h] of [
    [1280, 900],
    [390, 844],
  ]) {
    const page = await newPage(w, h);
    await openDashboard(page);
    await page.getByTestId('categories').waitFor();
    await page.getByTestId('top-agents').waitFor();
    await page.getByTestId('credit-costs').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await page.screenshot({ path: join(artifacts, `dashboard-${w}.png`), fullPage: true });
    if (overflow) throw new Error(`horizontal overflow at ${w}px`);
    if (w === 390) {
      await page.getByRole('button', { name: 'Buy a credits bundle' }).click();
      await page.getByTestId('offers').waitFor();
      await page.screenshot({ path: join(artifacts, 'buy-dialog-390.png') });
    }
    await page.context().close();
  }
});

// ---------------------------------------------------------------- runner
async function startServer() {
  console.log(`building the Go binary into ${tmp}`);
  execFileSync('go', ['build', '-o', bin, '.'], { cwd: root, stdio: 'inherit' });
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await launchServer();
}

/** Starts the built server on the chosen port (again, after stopServer). */
async function launchServer() {
  server = spawn(bin, [], {
    env: { ...process.env, ADDR: `127.0.0.1:${port}`, DATABASE_URL: dbURL, DEMO_API_KEY: DEMO_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 'the server to start', 60000);
}

/** Stops the server gracefully (SIGTERM), as a deploy or restart would. */
async function stopServer() {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
    await exited;
  }
}

async function main() {
  let passed = 0;
  let failed = 0;
  try {
    await startServer();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
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
        // playwright-core starts Chromium with a new, empty --user-data-dir of its own.
      ],
    });
    for (const t of tests) {
      const started = Date.now();
      try {
        await t.fn();
        passed++;
        console.log(`  ok    ${t.name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed++;
        console.log(`  FAIL  ${t.name}\n        ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n        ')}`);
      }
    }
  } catch (e) {
    failed++;
    console.log(`setup failed: ${e?.stack ?? e}`);
    if (serverLog) console.log(`server output:\n${serverLog.slice(-3000)}`);
  } finally {
    await browser?.close().catch(() => {});
    await stopServer().catch(() => {});
    if (!process.env.E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main();
