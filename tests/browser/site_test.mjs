// site_test.mjs: the html sink's site and `paperwire serve` in Debian's
// chromium, driven by playwright-core.  Usage:
//   node site_test.mjs NODE_MODULES OUT_DIR CASES.json
// CASES.json says where the pages are and what they must show; each check
// prints "ok   - ..." or "FAIL - ...", as the integration scripts do, and
// screenshots go to OUT_DIR.  Exits 1 when a check failed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [modulesDir, outDir, casesFile] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
let passed = 0, failed = 0;

function check(desc, ok, detail) {
  if (ok) { passed++; console.log('ok   - ' + desc); }
  else { failed++; console.log('FAIL - ' + desc + (detail ? ': ' + detail : '')); }
}

// A page with its console errors and dialogs (a script from a paper
// would open one) recorded.
async function open(browser, url, options = {}) {
  const context = await browser.newContext({ viewport: options.viewport || { width: 1280, height: 900 },
    colorScheme: options.colorScheme || 'light', bypassCSP: !!options.bypassCSP });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', m => { if (m.type() === 'error') page.problems.push('console: ' + m.text()); });
  page.on('pageerror', e => page.problems.push('page error: ' + e.message));
  page.on('dialog', d => { page.problems.push('dialog: ' + d.message()); d.dismiss(); });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'], preload: false }));
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.nodes.length + ': ' + v.nodes[0].target.join(' ') + ')');
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(outDir, name + '.png'), fullPage: true });
}

const articleFacts = page => page.$$eval('ol.papers > li:not([hidden]) article',
  as => as.map(a => ({ id: a.dataset.id, score: parseFloat(a.dataset.score), cats: a.dataset.categories.split(' ') })));

async function staticSite(browser, c) {
  const page = await open(browser, c.url);
  await shot(page, 'static-index');
  const papers = await articleFacts(page);
  check('static: the day\'s ' + c.ids.length + ' papers are all on index.html',
    papers.length === c.ids.length && c.ids.every(id => papers.some(p => p.id === id)),
    JSON.stringify(papers.map(p => p.id)));
  check('static: in score order', papers.every((p, i) => i === 0 || papers[i - 1].score >= p.score),
    JSON.stringify(papers.map(p => p.score)));
  const evil = await open(browser, c.hostileUrl);
  const hostile = await evil.locator('article h2').filter({ hasText: c.hostileTitle }).count();
  const math = await evil.locator('article h2 .math, article .abstract .math').count();
  const evilText = await evil.locator('article .abstract').filter({ hasText: "<script>alert('abstract')</script>" }).count();
  check('static: a hostile title shows as text, its link syntax as characters', hostile === 1, String(hostile));
  check('static: a hostile abstract\'s <script> shows as characters', evilText === 1, String(evilText));
  check('static: TeX in a title and an abstract is set as math', math >= 2, String(math));
  await shot(evil, 'static-hostile');
  // Search by a word found only in one paper's abstract.
  await page.fill('#q', c.abstractWord);
  await page.waitForSelector('#results:not([hidden])');
  const found = await page.$$eval('#result-list li', ls => ls.map(l => l.textContent));
  check('static: search finds "' + c.abstractTitle + '" by "' + c.abstractWord + '", a word of its abstract',
    found.some(t => t.includes(c.abstractTitle)), JSON.stringify(found));
  await shot(page, 'static-search');
  const link = await page.$eval('#result-list li a', a => a.getAttribute('href'));
  await page.click('#result-list li a');
  await page.waitForLoadState('load');
  check('static: a result links to its paper on its day\'s page', /^\d{4}-\d\d-\d\d\.html#p-/.test(link) &&
    page.url().endsWith(link), link + ' -> ' + page.url());
  await page.goto(c.url);
  // The category filter.
  await page.selectOption('#filter-category', c.category);
  const shown = await articleFacts(page);
  const expected = papers.filter(p => p.cats.includes(c.category)).length;
  check('static: the category filter shows the ' + expected + ' papers in ' + c.category + ' only',
    shown.length === expected && expected > 0 && expected < papers.length &&
    shown.every(p => p.cats.includes(c.category)), shown.length + ' shown');
  const counter = await page.textContent('#shown');
  check('static: the filter says how many it shows', counter.startsWith(String(expected)), counter);
  await page.selectOption('#filter-category', '');
  // The day page of an earlier day and the archive.
  const archive = await open(browser, c.archive);
  const days = await archive.$$eval('ul.days a', as => as.map(a => a.getAttribute('href')));
  check('static: the archive lists every day (' + c.days.join(', ') + ')',
    JSON.stringify(days) === JSON.stringify(c.days.map(d => d + '.html')), JSON.stringify(days));
  const charts = await archive.$$eval('figure.chart svg rect', rs => rs.length);
  check('static: the archive draws the papers per category per day', charts >= c.days.length, String(charts));
  await shot(archive, 'static-archive');
  const a11y = await axe(page);
  check('static: axe-core finds no serious or critical violation (light)', a11y.length === 0, a11y.join('; '));
  const dark = await open(browser, c.url, { colorScheme: 'dark' });
  const bg = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check('static: dark mode has a dark background', bg === 'rgb(22, 24, 28)', bg);
  const a11yDark = await axe(dark);
  check('static: axe-core finds no serious or critical violation (dark)', a11yDark.length === 0, a11yDark.join('; '));
  await shot(dark, 'static-dark');
  const phone = await open(browser, c.url, { viewport: { width: 375, height: 800 } });
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  check('static: at 375 px nothing scrolls sideways', width <= 375, 'scrollWidth ' + width);
  await shot(phone, 'static-375');
  // Keyboard: Tab reaches the skip link first, then the search box.
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.textContent);
  check('static: the first Tab stop is the skip link', first === 'Skip to the papers', first);
  for (const p of [page, archive, dark, phone, evil])
    check('static: no console error, no dialog on ' + p.url().split('/').pop(), p.problems.length === 0,
      p.problems.join('; '));
}

async function servedSite(browser, c) {
  const page = await open(browser, c.url);
  await page.waitForSelector('article .actions button');
  await shot(page, 'served-index');
  const buttons = await page.$$eval('article .actions', bs => bs.filter(b => b.querySelectorAll('button').length === 3).length);
  check('served: every paper has like, dislike and "more like this"', buttons === c.count, String(buttons));
  const article = page.locator('article[data-id="' + c.rateId + '"]');
  await article.getByRole('button', { name: /^Like:/ }).click();
  await article.locator('output.status', { hasText: 'Liked' }).waitFor();
  check('served: 👍 says the rating was saved', true);
  await page.reload();
  await page.waitForSelector('article .actions button');
  const pressed = await article.getByRole('button', { name: /^Like:/ }).getAttribute('aria-pressed');
  check('served: after a reload the page shows what was rated', pressed === 'true', pressed);
  const other = page.locator('article[data-id="' + c.dislikeId + '"]');
  await other.getByRole('button', { name: /^Dislike:/ }).click();
  await other.locator('output.status', { hasText: 'Disliked' }).waitFor();
  // Search over the whole store: a paper the digest did not select.
  await page.fill('#q', c.storeWord);
  await page.waitForSelector('#results:not([hidden]) #result-list li');
  const found = await page.$$eval('#result-list li', ls => ls.map(l => l.textContent));
  check('served: search covers the store, "' + c.storeTitle + '" (not on the site) found by "' + c.storeWord + '"',
    found.some(t => t.includes(c.storeTitle)), JSON.stringify(found));
  await shot(page, 'served-search');
  await page.fill('#q', '');
  await page.keyboard.press('Escape');
  await article.getByRole('button', { name: /^More like this:/ }).click();
  await page.waitForSelector('#results:not([hidden]) #result-list li');
  const similar = await page.$$eval('#result-list li', ls => ls.map(l => l.textContent));
  check('served: "more like this" lists related papers, not the paper itself',
    similar.length >= 1 && !similar.some(t => t.includes(c.rateTitle)) &&
    similar.some(t => t.includes(c.similarTitle)), JSON.stringify(similar));
  await shot(page, 'served-similar');
  // axe is injected as an inline script, which the server's CSP rightly
  // refuses: this one page lets it in.
  const audited = await open(browser, c.url, { bypassCSP: true });
  await audited.waitForSelector('article .actions button');
  const a11y = await axe(audited);
  check('served: axe-core finds no serious or critical violation', a11y.length === 0, a11y.join('; '));
  const phone = await open(browser, c.url, { viewport: { width: 375, height: 800 } });
  await phone.waitForSelector('article .actions button');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  check('served: at 375 px with the buttons nothing scrolls sideways', width <= 375, 'scrollWidth ' + width);
  await shot(phone, 'served-375');
  for (const p of [page, phone])
    check('served: no console error (a CSP violation would be one), no dialog', p.problems.length === 0,
      p.problems.join('; '));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  if (cases.static) await staticSite(browser, cases.static);
  if (cases.served) await servedSite(browser, cases.served);
} catch (e) {
  check('the browser run finished', false, e.stack);
} finally {
  await browser.close();
}
console.log('browser: ' + passed + ' passed, ' + failed + ' failed');
process.exit(failed ? 1 : 0);
