// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The cashier page (examples/cashier) in a real browser: headless Chromium from Debian, driven by
// playwright-core (no downloaded browser: executablePath points at /usr/bin/chromium).
//
//   node cashier.test.js CASHIER_BINARY [CHROMIUM]
//
// Each scenario starts `cashier --sandbox` (the embedded WeChat Pay sandbox, offline), loads the
// page, and pays through the sandbox's control API as a phone would:
//   1. push: the page shows success within one second of the payment, without a reload;
//   2. fallback: with the event stream broken, the page polls and still shows success;
//   3. expiry: the QR code expires (time-scaled sandbox), "refresh QR code" shows a new one
//      that can be paid; an order closed unpaid offers a new order.
// The only timed assertion is the "within one second"; other waits are upper bounds
// that keep a broken page from hanging the suite.

'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const {spawn} = require('node:child_process');
const {chromium} = require('playwright-core');

const cashierBinary = process.argv[2];
const chromiumPath = process.argv[3] || process.env.CHROMIUM || '/usr/bin/chromium';
if (!cashierBinary) {
  console.error('usage: node cashier.test.js CASHIER_BINARY [CHROMIUM]');
  process.exit(2);
}

const kGenerousWait = 15000;  // an upper bound for steps that have no latency requirement

// Starts `cashier --sandbox ...` and resolves once it printed its URLs.
function startCashier(extraArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(cashierBinary, ['--sandbox', '--listen', '127.0.0.1:0', ...extraArgs],
                        {stdio: ['ignore', 'pipe', 'pipe']});
    const server = {child, log: [], url: '', sandboxUrl: '', ca: null};
    const lines = readline.createInterface({input: child.stdout});
    child.stderr.on('data', (d) => server.log.push('stderr: ' + d.toString().trimEnd()));
    lines.on('line', (line) => {
      server.log.push(line);
      let m;
      if ((m = /^listening on (\S+)$/.exec(line))) server.url = m[1];
      else if ((m = /^sandbox CA (.+)$/.exec(line))) server.ca = fs.readFileSync(m[1]);
      else if ((m = /^sandbox (https?:\S+)$/.exec(line))) server.sandboxUrl = m[1];
      if (server.url && server.sandboxUrl && server.ca) resolve(server);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error('cashier exited early with ' + code + ':\n' +
                                                server.log.join('\n'))));
  });
}

function stopCashier(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.removeAllListeners('exit');
    server.child.on('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

// POST to the sandbox control API, over HTTPS with the sandbox's own CA: what the payer's
// phone does when it scans and pays.
function controlPost(server, apiPath) {
  const url = new URL(server.sandboxUrl + '/sandbox/v1/' + apiPath);
  return new Promise((resolve, reject) => {
    const req = https.request(url, {method: 'POST', ca: server.ca,
                                    headers: {'Content-Type': 'application/json',
                                              'Content-Length': 2}}, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({status: res.statusCode, body}));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wechatpay-chromium-'));
  // A persistent context gives Chromium exactly this fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, {recursive: true, force: true});
    },
  };
}

// Fills the order form and submits it; resolves with the checkout page's out_trade_no once the
// QR code (an inline <svg>) is on the page.
async function placeOrder(page, server, description, amount) {
  await page.goto(server.url + '/');
  await page.fill('#description', description);
  await page.fill('#amount', amount);
  await Promise.all([page.waitForURL(/\/orders\/[0-9A-Za-z]+$/), page.click('#pay')]);
  await page.waitForSelector('#qr svg', {state: 'attached'});
  assert.equal(await page.locator('#status').getAttribute('data-state'), 'WAITING');
  return page.evaluate(() => document.body.dataset.order);
}

async function pay(server, outTradeNo) {
  const answer = await controlPost(server, 'orders/' + encodeURIComponent(outTradeNo) + '/pay');
  assert.equal(answer.status, 200, 'the sandbox refused the payment: ' + answer.body);
}

async function expectPaid(page, timeout) {
  await page.waitForSelector('#status[data-state="PAID"]', {timeout});
  assert.match(await page.textContent('#status'), /Payment successful/);
}

// 1. Push: SSE delivers the callback's result; the page updates within one second, no reload.
async function pushScenario(browser, server) {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(kGenerousWait);
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations++; });
  const outTradeNo = await placeOrder(page, server, '可乐 Cola', '0.01');
  // The event stream has delivered its first status: the page is subscribed.
  await page.waitForSelector('body[data-channel="sse"]');
  await page.evaluate(() => { window.__notReloaded = true; });
  const navigationsBefore = navigations;

  await pay(server, outTradeNo);
  // The requirement: success on the page within one second of the payment.
  await expectPaid(page, 1000);

  assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was reloaded');
  assert.equal(navigations, navigationsBefore, 'the page navigated');
  assert.equal(await page.isHidden('#qr'), true, 'the QR code is still shown after payment');
  await page.close();
}

// 2. Fallback: every event stream request fails, as behind a proxy that breaks SSE; the page
// polls the status route and still learns of the payment.
async function pollingScenario(browser, server) {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(kGenerousWait);
  await page.route('**/events', (route) => route.abort());
  const outTradeNo = await placeOrder(page, server, '雪碧 Sprite', '3.50');
  await page.waitForSelector('body[data-channel="polling"]');
  await pay(server, outTradeNo);
  await expectPaid(page, kGenerousWait);
  assert.equal(await page.getAttribute('body', 'data-channel'), 'polling');
  await page.close();
}

// 3. Expiry: the code_url expires while the order is open (the sandbox scales WeChat's 2 hours
// to 3.6 s here) and "refresh QR code" brings a new one, which the payer then pays; and an order
// closed unpaid offers a new order.
async function expiryScenario(browser, server) {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(kGenerousWait);
  const outTradeNo = await placeOrder(page, server, '橙汁 Juice', '1');
  const firstQr = await page.innerHTML('#qr');
  await page.waitForSelector('#refresh', {state: 'visible'});
  assert.match(await page.textContent('#status'), /expired/);
  await page.click('#refresh');
  await page.waitForFunction((old) => {
    const qr = document.querySelector('#qr');
    return qr.querySelector('svg') && qr.innerHTML !== old &&
           !qr.classList.contains('expired');
  }, firstQr);
  assert.equal(await page.isHidden('#refresh'), true);
  // Same order, new code_url: paying it completes this checkout.
  assert.equal(await page.evaluate(() => document.body.dataset.order), outTradeNo);
  await pay(server, outTradeNo);
  await expectPaid(page, kGenerousWait);

  // Left unpaid, the next order is closed (--close-after) and the page offers a new order.
  const closedNo = await placeOrder(page, server, '橙汁 Juice', '1');
  await page.waitForSelector('#status[data-state="CLOSED"]', {timeout: 30000});
  assert.equal(await page.isVisible('#refresh'), true);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith(closedNo)),
                     page.click('#refresh')]);
  await page.waitForSelector('#qr svg', {state: 'attached'});
  assert.notEqual(await page.evaluate(() => document.body.dataset.order), closedNo);
  assert.equal(await page.locator('#status').getAttribute('data-state'), 'WAITING');
  await page.close();
}

async function run(name, cashierArgs, scenario) {
  const server = await startCashier(cashierArgs);
  const browser = await launchBrowser();
  try {
    await scenario(browser, server);
    console.log('ok - ' + name);
  } catch (error) {
    console.log('not ok - ' + name);
    console.log(String(error && error.stack || error));
    console.log('cashier output:\n  ' + server.log.join('\n  '));
    throw error;
  } finally {
    await browser.close();
    await stopCashier(server);
  }
}

(async () => {
  await run('the page shows the payment within one second, pushed by SSE, without a reload', [],
            pushScenario);
  await run('the page falls back to polling when the event stream fails', [], pollingScenario);
  await run('an expired QR code is refreshed, a closed order re-ordered',
            ['--time-scale', '0.0005', '--close-after', '10'], expiryScenario);
})().then(() => process.exit(0), () => process.exit(1));
