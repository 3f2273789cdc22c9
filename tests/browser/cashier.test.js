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
//      that can be paid; an order closed unpaid offers a new order;
//   4. kiosk: the shop's name, the favicon, bilingual validation and countdown texts, an
//      unknown order's page, and the way back to a new order (automatic after --return-after).
//      Screenshots of each screen are taken (kept in $WECHATPAY_SCREENSHOT_DIR when set) and
//      checked as images: zbarimg reads the order's code_url back from the checkout screenshot
//      and finds no QR code on the success screenshot, whose status line is drawn in the
//      success green.
// The only timed assertion is the "within one second"; other waits are upper bounds
// that keep a broken page from hanging the suite.

'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const {spawn, spawnSync} = require('node:child_process');
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

// GET from the sandbox control API (the sandbox's view of an order).
function controlGet(server, apiPath) {
  const url = new URL(server.sandboxUrl + '/sandbox/v1/' + apiPath);
  return new Promise((resolve, reject) => {
    https.get(url, {ca: server.ca}, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({status: res.statusCode, body}));
    }).on('error', reject);
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

// Where screenshots go: $WECHATPAY_SCREENSHOT_DIR (kept) or a temporary folder (removed).
const screenshotDir = process.env.WECHATPAY_SCREENSHOT_DIR ||
                      fs.mkdtempSync(path.join(os.tmpdir(), 'wechatpay-screens-'));
fs.mkdirSync(screenshotDir, {recursive: true});

async function screenshot(page, name) {
  const file = path.join(screenshotDir, name + '.png');
  await page.screenshot({path: file, fullPage: true});
  return file;
}

// The QR codes zbarimg reads in an image file ([] when none).
function decodeQr(file) {
  const result = spawnSync('zbarimg', ['--quiet', '--raw', file], {encoding: 'utf8'});
  if (result.error) throw new Error('zbarimg: ' + result.error.message + ' (Debian: zbar-tools)');
  // zbarimg exits 4 when the image holds no code.
  if (result.status !== 0 && result.status !== 4) throw new Error('zbarimg failed: ' + result.stderr);
  return result.stdout.split('\n').filter((line) => line.length > 0);
}

// Pixels of an element's screenshot close to the success green (#07c160), counted by the browser
// itself from the PNG.
async function greenPixels(page, selector) {
  const png = await page.locator(selector).screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    const data = context.getImageData(0, 0, img.width, img.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - 0x07) < 40 && Math.abs(data[i + 1] - 0xc1) < 40 &&
          Math.abs(data[i + 2] - 0x60) < 40) count++;
    }
    return count;
  }, png.toString('base64'));
}

// 4. Kiosk: every screen a customer sees, bilingual, and the way back to a new order.
async function kioskScenario(browser, server) {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(kGenerousWait);
  const favicons = [];
  page.on('response', (r) => { if (/\/favicon\./.test(r.url())) favicons.push(r.status()); });

  // The form: the shop's name; the server's validation message in both languages (the
  // browser's own pattern check is switched off so the server's rule is what answers).
  await page.goto(server.url + '/');
  assert.equal(await page.textContent('#shop'), '小店 Kiosk Shop');
  await screenshot(page, 'form');
  await page.fill('#description', '可乐 Cola');
  await page.evaluate(() => { document.querySelector('form').noValidate = true; });
  await page.fill('#amount', '1.234');
  await Promise.all([page.waitForNavigation(), page.click('#pay')]);
  const error = await page.textContent('#error');
  assert.match(error, /金额/);
  assert.match(error, /The amount must be/);
  await screenshot(page, 'form-error');
  assert.ok(favicons.length > 0 && favicons.every((s) => s === 200), 'favicon: ' + favicons);

  // The checkout: the QR code in the screenshot is the order's code_url; the countdown is
  // bilingual.
  const outTradeNo = await placeOrder(page, server, '可乐 Cola', '0.01');
  await page.waitForFunction(() => /后关闭 · Closes in \d+:\d\d/.test(
      document.querySelector('#countdown').textContent));
  const view = await controlGet(server, 'orders/' + encodeURIComponent(outTradeNo));
  assert.equal(view.status, 200, view.body);
  const codeUrl = JSON.parse(view.body).code_url;
  assert.deepEqual(decodeQr(await screenshot(page, 'checkout')), [codeUrl]);
  assert.equal(await greenPixels(page, '#status'), 0, 'the waiting status is drawn green');
  assert.equal(await page.isHidden('#new-order'), true);

  // Paid: no QR code left in the screenshot, the status line drawn in the success green, the
  // way back shown, and after --return-after seconds the form again.
  await pay(server, outTradeNo);
  await expectPaid(page, kGenerousWait);
  assert.match(await page.textContent('#status'), /支付成功/);
  assert.deepEqual(decodeQr(await screenshot(page, 'paid')), []);
  assert.ok(await greenPixels(page, '#status') > 50, 'no success green in the status line');
  assert.equal(await page.isVisible('#new-order'), true);
  assert.match(await page.textContent('#countdown'), /秒后返回 · Back to a new order in \d+ s/);
  await page.waitForURL(server.url + '/', {timeout: kGenerousWait});
  await page.waitForSelector('#description');

  // An unknown order: a readable page in both languages with the way back.
  const unknown = await page.goto(server.url + '/orders/NOSUCHORDER000001');
  assert.equal(unknown.status(), 404);
  assert.match(await page.textContent('#message-title'), /未知订单 · Unknown order/);
  assert.equal(await page.isVisible('#new-order'), true);
  await screenshot(page, 'unknown-order');
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
  await run('a kiosk: shop name, favicon, bilingual screens checked on screenshots, back to a ' +
            'new order by itself', ['--shop-name', '小店 Kiosk Shop', '--return-after', '2'],
            kioskScenario);
  if (!process.env.WECHATPAY_SCREENSHOT_DIR) fs.rmSync(screenshotDir, {recursive: true, force: true});
  else console.log('screenshots in ' + screenshotDir);
})().then(() => process.exit(0), () => process.exit(1));
