// End-to-end tests: the real Go server on a temporary SQLite database, driven
// in Debian's headless Chromium through playwright-core.
//
//   npm run test:e2e            (run `npm run build` first: the binary embeds frontend/dist)
//
// Env: CHROMIUM (default /usr/bin/chromium), E2E_KEEP=1 keeps the temp dir.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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

/** Creates an account through the CLI and returns its API key. */
function createAccount(name, plan = 'Pro') {
  const out = execFileSync(bin, ['account', 'create', '--name', name, '--plan', plan], {
    env: { ...process.env, DATABASE_URL: dbURL },
    encoding: 'utf8',
  });
  const key = out.match(/^api_key:\s*(\S+)\s*$/m)?.[1];
  if (!key) throw new Error(`no api_key in output: ${out}`);
  return key;
}

/** A page signed in with `key` (kept in sessionStorage, as the app does). */
async function pageAs(key, width = 1280, height = 900) {
  const page = await newPage(width, height);
  await page.addInitScript((k) => sessionStorage.setItem('aiusage.apiKey', k), key);
  return page;
}

const uid = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;

async function charge(key, category, credits) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: JSON.stringify({
      query: `mutation($c: UsageCategory!, $n: Int, $k: String!) { recordUsage(input: { category: $c, credits: $n, idempotencyKey: $k }) { balance { remaining } } }`,
      variables: { c: category, n: credits, k: `e2e-${uid()}` },
    }),
  });
  return res.json();
}

/** "Dec 5" (UTC), with the year when it is not this year: as the page writes dates. */
function shortDate(iso) {
  const d = new Date(iso);
  const sameYear = d.getUTCFullYear() === new Date().getUTCFullYear();
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' }).format(d);
}

/** RFC 4180 CSV into rows of fields. */
function parseCSV(textIn) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < textIn.length; i++) {
    const c = textIn[i];
    if (quoted) {
      if (c === '"' && textIn[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && textIn[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const DAILY_Q = `query($d: Int) { dailyUsage(days: $d) { day totalCredits categories { category credits } } }`;

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

test('an alert rule made in the UI raises a banner once usage crosses it; dismissing hides it', async () => {
  const key = createAccount(`Alerts Co ${uid()}`);
  const page = await pageAs(key);
  await openDashboard(page);
  // No usage yet: nothing to forecast.
  await waitFor(async () => /^No credits used in the last 7 days/.test(await text(page, 'runway')), 'the idle forecast');
  const rules = page.getByTestId('alert-rules');
  await rules.getByText('No alerts set up yet.').waitFor();
  await rules.getByLabel('Alert me when').selectOption('USED_PERCENT');
  await rules.getByLabel('Threshold').fill('2');
  await rules.getByRole('button', { name: 'Add alert' }).click();
  await rules.getByText('When 2% of your credits are used').waitFor();
  const { viewer } = await gql(key, `{ viewer { alertRules { kind threshold } } }`);
  assertEq(JSON.stringify(viewer.alertRules), JSON.stringify([{ kind: 'USED_PERCENT', threshold: 2 }]), 'rule in the API');
  assertEq(await page.locator('.alert-banner').count(), 0, 'no banner before the crossing');

  // 150 of 5,000 credits = 3 %: crosses the 2 % rule.
  const r = await charge(key, 'CHAT', 150);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  await page.reload();
  await page.getByTestId('balance-remaining').waitFor();
  const banner = page.locator('.alert-banner');
  await banner.first().waitFor();
  assertEq(await banner.count(), 1, 'one banner');
  const { viewer: v2 } = await gql(key, `{ viewer { alerts { id kind message } } }`);
  assertEq(v2.alerts.length, 1, 'one active alert in the API');
  assertEq(await banner.getAttribute('data-alert-id'), v2.alerts[0].id, 'banner is the API alert');
  assertEq((await banner.locator('[data-field="message"]').textContent()).trim(), v2.alerts[0].message, 'banner message');
  await banner.getByText('Usage alert').waitFor();
  await page.screenshot({ path: join(artifacts, 'alert-banner-1280.png') });
  const narrow = await pageAs(key, 390, 844);
  await openDashboard(narrow);
  await narrow.locator('.alert-banner').waitFor();
  await narrow.screenshot({ path: join(artifacts, 'alert-banner-390.png') });
  await narrow.context().close();

  await banner.getByRole('button', { name: /Dismiss alert/ }).click();
  await waitFor(async () => (await page.locator('.alert-banner').count()) === 0, 'the banner to go');
  await waitFor(async () => (await gql(key, `{ viewer { alerts { id } } }`)).viewer.alerts.length === 0, 'the API to list no active alert');
  const { viewer: v3 } = await gql(key, `{ viewer { alerts(includeDismissed: true) { id dismissedAt } } }`);
  if (!v3.alerts[0]?.dismissedAt) throw new Error('alert not marked dismissed');
  await page.reload();
  await page.getByTestId('balance-remaining').waitFor();
  await page.getByTestId('alert-rules').getByText('When 2% of your credits are used').waitFor();
  assertEq(await page.locator('.alert-banner').count(), 0, 'still gone after a reload');

  // Deleting the rule in the UI removes it from the API.
  await page.getByRole('button', { name: 'Delete alert: When 2% of your credits are used' }).click();
  await page.getByTestId('alert-rules').getByText('No alerts set up yet.').waitFor();
  assertEq((await gql(key, `{ viewer { alertRules { id } } }`)).viewer.alertRules.length, 0, 'rule deleted');
  await page.context().close();
});

test('the runway forecast sentence matches the API', async () => {
  const { creditBalance: b } = await gql(DEMO_KEY, `{ creditBalance { periodEnd runway { dailyBurn runsOutAt lastsUntilReset } } }`);
  const page = await newPage();
  await openDashboard(page);
  const sentence = await text(page, 'runway');
  const burn = b.runway.dailyBurn >= 10 ? n(Math.round(b.runway.dailyBurn)) : String(Math.round(b.runway.dailyBurn * 10) / 10);
  if (b.runway.dailyBurn <= 0) throw new Error('the demo should have recent usage');
  if (!sentence.startsWith(`At your current pace (≈${burn} credits/day), `)) throw new Error(`forecast: ${sentence}`);
  if (!sentence.includes(`reset on ${shortDate(b.periodEnd)}.`)) throw new Error(`forecast lacks the reset date: ${sentence}`);
  if (b.runway.runsOutAt && !sentence.includes(shortDate(b.runway.runsOutAt))) throw new Error(`forecast lacks the run-out date: ${sentence}`);
  if (!b.runway.runsOutAt && !sentence.includes("won't run out")) throw new Error(`forecast: ${sentence}`);
  assertEq(await page.getByTestId('runway').getAttribute('data-tone'), b.runway.lastsUntilReset ? 'ok' : 'warn', 'forecast tone');
  await page.context().close();
});

test('the usage history chart draws the API numbers, 30 and 90 days, with a tooltip per day', async () => {
  const page = await newPage();
  await openDashboard(page);
  const chart = page.getByTestId('history-chart');
  await chart.waitFor();
  for (const days of [30, 90]) {
    if (days === 90) {
      await page.getByRole('button', { name: '90 days' }).click();
      await waitFor(async () => (await chart.locator('.hist__day').count()) === 90, 'the 90-day chart');
    }
    const { dailyUsage } = await gql(DEMO_KEY, DAILY_Q, { d: days });
    const bars = chart.locator('.hist__day');
    assertEq(await bars.count(), dailyUsage.length, `${days}-day bar count`);
    const drawn = await bars.evaluateAll((els) =>
      els.map((e) => ({
        day: e.dataset.day,
        total: Number(e.dataset.total),
        image: Number(e.dataset.image),
        video: Number(e.dataset.video),
        chat: Number(e.dataset.chat),
        agent: Number(e.dataset.agent),
        segs: e.querySelectorAll('.hist__seg').length,
        label: e.getAttribute('aria-label'),
      })),
    );
    dailyUsage.forEach((d, i) => {
      const got = drawn[i];
      const by = Object.fromEntries(d.categories.map((c) => [c.category.toLowerCase(), c.credits]));
      assertEq(got.day, d.day.slice(0, 10), `bar ${i} day`);
      assertEq(got.total, d.totalCredits, `bar ${i} total`);
      for (const c of ['image', 'video', 'chat', 'agent']) assertEq(got[c], by[c], `bar ${i} ${c}`);
      assertEq(got.segs, d.categories.filter((c) => c.credits > 0).length, `bar ${i} segments`);
      if (d.totalCredits > 0 && !got.label.includes(`${n(d.totalCredits)} credit`)) throw new Error(`bar ${i} label: ${got.label}`);
    });
    // Bar heights follow the numbers: the tallest day is the tallest bar.
    const max = Math.max(...dailyUsage.map((d) => d.totalCredits));
    const iMax = dailyUsage.findIndex((d) => d.totalCredits === max);
    const heights = await bars.evaluateAll((els) =>
      els.map((e) => [...e.querySelectorAll('.hist__seg')].reduce((s, r) => s + Number(r.getAttribute('height')), 0)),
    );
    assertEq(Math.max(...heights), heights[iMax], `${days}-day tallest bar`);
  }
  await page.getByRole('button', { name: '30 days' }).click();
  await waitFor(async () => (await chart.locator('.hist__day').count()) === 30, 'back to 30 days');
  // Keyboard: the chart is one tab stop; arrows move between days and show the tooltip.
  const { dailyUsage } = await gql(DEMO_KEY, DAILY_Q, { d: 30 });
  await chart.locator('.hist__day[tabindex="0"]').focus();
  await page.keyboard.press('ArrowLeft');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-day'));
  assertEq(focused, dailyUsage[28].day.slice(0, 10), 'focus moved one day back');
  const tip = page.getByTestId('history-tooltip');
  await tip.waitFor();
  const tipText = await tip.textContent();
  if (!tipText.includes(n(dailyUsage[28].totalCredits))) throw new Error(`tooltip: ${tipText}`);
  await page.keyboard.press('Home');
  assertEq(await page.evaluate(() => document.activeElement?.getAttribute('data-day')), dailyUsage[0].day.slice(0, 10), 'Home goes to the first day');
  await page.getByTestId('history').screenshot({ path: join(artifacts, 'history-tooltip-1280.png') });
  // The table fallback holds the same figures.
  await page.getByText('Show the figures as a table').click();
  const row = page.locator(`[data-testid="history-table"] tr[data-day="${dailyUsage[29].day.slice(0, 10)}"] td`).last();
  assertEq((await row.textContent()).trim(), n(dailyUsage[29].totalCredits), 'table total for today');
  await page.context().close();
});

test('Download CSV saves the export of the chosen range with the expected rows', async () => {
  const page = await newPage();
  await openDashboard(page);
  await page.getByTestId('history-chart').waitFor();
  for (const days of [30, 90]) {
    if (days === 90) {
      await page.getByRole('button', { name: '90 days' }).click();
      await waitFor(async () => (await page.locator('.hist__day').count()) === 90, 'the 90-day chart');
    }
    const { dailyUsage } = await gql(DEMO_KEY, DAILY_Q, { d: days });
    const from = dailyUsage[0].day.slice(0, 10);
    const to = dailyUsage[dailyUsage.length - 1].day.slice(0, 10);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    assertEq(download.suggestedFilename(), `ai-usage-${from}-to-${to}.csv`, 'file name from the server');
    const body = readFileSync(await download.path(), 'utf8');
    const rows = parseCSV(body);
    const header = rows.shift();
    assertEq(
      header.join(','),
      'occurred_at,category,agent,quantity,credits,value_usd,plan_credits,bundle_credits,profiles_processed,description,idempotency_key,id',
      'CSV header',
    );
    const { usageRecords } = await gql(DEMO_KEY, `query($f: Time!) { usageRecords(where: { occurredAtGTE: $f }) { totalCount } }`, {
      f: `${from}T00:00:00Z`,
    });
    assertEq(rows.length, usageRecords.totalCount, `${days}-day CSV rows = usage records`);
    const col = (name) => header.indexOf(name);
    const sum = rows.reduce((s, r) => s + Number(r[col('credits')]), 0);
    assertEq(sum, dailyUsage.reduce((s, d) => s + d.totalCredits, 0), `${days}-day CSV credits = chart total`);
    for (const r of rows) {
      if (Number(r[col('plan_credits')]) + Number(r[col('bundle_credits')]) !== Number(r[col('credits')])) throw new Error(`plan/bundle split: ${r}`);
      const day = r[col('occurred_at')].slice(0, 10);
      if (day < from || day > to) throw new Error(`row outside the range: ${r}`);
    }
    const agentRows = rows.filter((r) => r[col('agent')] === 'Competitor pulse');
    if (days === 30 && agentRows.length === 0) throw new Error('no Competitor pulse runs in the CSV');
    // Byte for byte what the API serves for the same range.
    const direct = await (await fetch(`${base}/export/usage.csv?from=${from}&to=${to}`, { headers: { Authorization: `Bearer ${DEMO_KEY}` } })).text();
    assertEq(body === direct, true, `${days}-day download identical to the API export`);
  }
  await page.context().close();
});

test('a hard limit set in the UI makes the API reject the charge that would cross it', async () => {
  const key = createAccount(`Limits Co ${uid()}`);
  const page = await pageAs(key);
  await openDashboard(page);
  const limits = page.getByTestId('credit-limits');
  await limits.getByText('No limits set.', { exact: false }).waitFor();
  await limits.getByLabel('Limit', { exact: true }).selectOption({ label: 'Chat' });
  await limits.getByLabel('Credits a month').fill('50');
  await limits.getByLabel('Block further charges (hard)').check();
  await limits.getByRole('button', { name: 'Set limit' }).click();
  const item = limits.locator('.control__item--limit');
  await item.waitFor();
  assertEq((await item.locator('[data-field="used"]').textContent()).replace(/\s+/g, ' ').trim(), '0 / 50 credits · 0%', 'limit shown');
  const { viewer } = await gql(key, `{ viewer { creditLimits { category monthlyCredits hard used } } }`);
  assertEq(JSON.stringify(viewer.creditLimits), JSON.stringify([{ category: 'CHAT', monthlyCredits: 50, hard: true, used: 0 }]), 'limit in the API');

  const ok = await charge(key, 'CHAT', 30);
  if (ok.errors) throw new Error(`first charge rejected: ${JSON.stringify(ok.errors)}`);
  const before = (await gql(key, BALANCE_Q)).creditBalance.remaining;
  const rejected = await charge(key, 'CHAT', 30);
  assertEq(rejected.errors?.[0]?.extensions?.code, 'CREDIT_LIMIT_EXCEEDED', 'second charge rejected');
  assertEq((await gql(key, BALANCE_Q)).creditBalance.remaining, before, 'nothing charged');
  // Charges up to the cap itself still go through.
  const upTo = await charge(key, 'CHAT', 20);
  if (upTo.errors) throw new Error(`charge up to the cap rejected: ${JSON.stringify(upTo.errors)}`);
  await waitFor(
    async () => (await item.locator('[data-field="used"]').textContent()).replace(/\s+/g, ' ').trim() === '50 / 50 credits · 100%',
    'the used figure to update live',
  );
  await page.screenshot({ path: join(artifacts, 'limits-1280.png') });
  await limits.getByRole('button', { name: 'Remove the limit on Chat' }).click();
  await limits.getByText('No limits set.', { exact: false }).waitFor();
  const after = await charge(key, 'CHAT', 30);
  if (after.errors) throw new Error(`charge after removing the limit: ${JSON.stringify(after.errors)}`);
  await page.context().close();
});

test('agent ROI shows for "Competitor pulse"; the hourly rate can be changed', async () => {
  const { topAgents, viewer } = await gql(
    DEMO_KEY,
    `{ viewer { hourlyRate { formatted } } topAgents(first: 5) { agent { id name } timeSavedValue { formatted } estimatedMonthlyCost { formatted } } }`,
  );
  const cp = topAgents.find((a) => a.agent.name === 'Competitor pulse');
  assertEq(cp.timeSavedValue.formatted, '$300.00', 'API time saved value (6 h × $50)');
  const page = await newPage();
  await openDashboard(page);
  await page.getByTestId('top-agents').waitFor();
  const row = page.locator(`[data-testid="top-agents"] > li[data-agent-id="${cp.agent.id}"]`);
  assertEq(
    (await row.locator('[data-field="roi"]').textContent()).trim(),
    `Saves $300 of work for ${cp.estimatedMonthlyCost.formatted} of credits a month`,
    'ROI on the list',
  );
  const none = topAgents.find((a) => !a.timeSavedValue);
  if (none) assertEq(await page.locator(`li[data-agent-id="${none.agent.id}"] [data-field="roi"]`).count(), 0, 'no ROI without hours saved');
  assertEq(
    (await page.getByTestId('hourly-rate').textContent()).includes(`${viewer.hourlyRate.formatted} an hour`),
    true,
    'hourly rate shown',
  );
  await row.getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: 'Competitor pulse' });
  const roi = dialog.getByTestId('agent-roi');
  await roi.waitFor();
  const roiText = (await roi.textContent()).replace(/\s+/g, ' ');
  if (!roiText.includes(`saves $300 of work for ${cp.estimatedMonthlyCost.formatted} of credits a month`)) throw new Error(`detail ROI: ${roiText}`);
  await page.screenshot({ path: join(artifacts, 'agent-roi-1280.png') });
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Change rate' }).click();
  await page.getByLabel('Value of an hour of manual work').fill('62.50');
  await page.getByRole('button', { name: 'Save rate' }).click();
  await waitFor(async () => (await row.locator('[data-field="roi"]').textContent()).includes('Saves $375 of work'), 'ROI at $62.50 an hour');
  assertEq((await gql(DEMO_KEY, `{ viewer { hourlyRate { amount } } }`)).viewer.hourlyRate.amount, '62.50', 'rate in the API');
  await page.getByRole('button', { name: 'Change rate' }).click();
  await page.getByLabel('Value of an hour of manual work').fill('abc');
  await page.getByRole('button', { name: 'Save rate' }).click();
  await page.getByText('Enter an amount in dollars').waitFor();
  await page.getByLabel('Value of an hour of manual work').fill('50');
  await page.getByRole('button', { name: 'Save rate' }).click();
  await waitFor(async () => (await row.locator('[data-field="roi"]').textContent()).includes('Saves $300 of work'), 'ROI back at $50 an hour');
  await page.context().close();
});

test('webhook: the signing secret shows once; auto top-up buys a bundle when credits run low', async () => {
  const key = createAccount(`Controls Co ${uid()}`);
  const page = await pageAs(key);
  await openDashboard(page);
  const hook = page.getByTestId('webhook');
  await hook.getByText('No webhook set.').waitFor();
  await hook.getByLabel('Webhook URL').fill('not a url');
  await hook.getByRole('button', { name: 'Save webhook' }).click();
  await hook.getByText('Enter a full http:// or https:// address.').waitFor();
  await hook.getByLabel('Webhook URL').fill('https://hooks.example.com/ai-usage');
  await hook.getByRole('button', { name: 'Save webhook' }).click();
  const secret = (await hook.locator('[data-field="secret"]').textContent()).trim();
  if (!/^whsec_/.test(secret)) throw new Error(`secret: ${secret}`);
  assertEq((await text(page, 'webhook-url')), 'https://hooks.example.com/ai-usage', 'webhook shown');
  assertEq((await gql(key, `{ viewer { webhookUrl } }`)).viewer.webhookUrl, 'https://hooks.example.com/ai-usage', 'webhook in the API');
  await hook.getByRole('button', { name: "I've saved it" }).click();
  assertEq(await hook.getByTestId('webhook-secret').count(), 0, 'secret hidden');
  await page.reload();
  await page.getByTestId('webhook-url').waitFor();
  assertEq(await page.getByText(secret).count(), 0, 'secret never shown again');
  await page.getByTestId('webhook').getByRole('button', { name: 'Remove' }).click();
  await page.getByTestId('webhook').getByText('No webhook set.').waitFor();
  assertEq((await gql(key, `{ viewer { webhookUrl } }`)).viewer.webhookUrl, null, 'webhook removed');

  const topup = page.getByTestId('auto-topup');
  await topup.getByLabel('Bundle to buy').selectOption({ index: 0 });
  await topup.getByLabel('When fewer than').fill('4,990');
  await topup.getByLabel('At most').fill('1');
  await topup.getByRole('button', { name: 'Turn on auto top-up' }).click();
  await topup.getByTestId('auto-topup-status').waitFor();
  const { viewer } = await gql(key, `{ viewer { autoTopUp { offer { credits } belowCredits maxPerMonth purchasesThisPeriod } } }`);
  assertEq(viewer.autoTopUp.belowCredits, 4990, 'threshold in the API');
  assertEq(viewer.autoTopUp.maxPerMonth, 1, 'cap in the API');
  const before = (await gql(key, BALANCE_Q)).creditBalance;
  await charge(key, 'CHAT', 20); // 4,980 left: below 4,990, buys one bundle
  const after = (await gql(key, BALANCE_Q)).creditBalance;
  assertEq(after.remaining, before.remaining - 20 + viewer.autoTopUp.offer.credits, 'bundle bought automatically');
  await waitFor(async () => (await topup.getByTestId('auto-topup-status').textContent()).includes('1 of 1 automatic purchase used'), 'the purchase count');
  await waitFor(async () => (await text(page, 'balance-remaining')) === n(after.remaining), 'the balance to update');
  await page.screenshot({ path: join(artifacts, 'controls-1280.png'), fullPage: true });
  await topup.getByRole('button', { name: 'Turn off' }).click();
  await topup.getByRole('button', { name: 'Turn on auto top-up' }).waitFor();
  assertEq((await gql(key, `{ viewer { autoTopUp { belowCredits } } }`)).viewer.autoTopUp, null, 'auto top-up off');
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
    await page.getByTestId('history-chart').waitFor();
    await page.getByTestId('auto-topup').locator('form, [data-testid="auto-topup-status"]').first().waitFor();
    await page.getByTestId('runway').waitFor();
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
