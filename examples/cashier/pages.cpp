// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "pages.hpp"

namespace cashier {
namespace {

constexpr char kStyle[] = R"css(
[hidden]{display:none!important}
body{font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",
"PingFang SC","Microsoft YaHei",sans-serif;background:#f2f2f2;margin:0;color:#222}
main{max-width:420px;margin:40px auto;background:#fff;border-radius:8px;padding:24px 32px;
text-align:center;box-shadow:0 1px 4px rgba(0,0,0,.1)}
h1{font-size:20px;margin:0 0 4px;color:#07c160}
.brand{color:#888;font-size:13px;margin:0 0 12px}
a.button{display:inline-block;margin-top:16px;padding:10px 20px;font-size:16px;border-radius:4px;
background:#07c160;color:#fff;text-decoration:none}
.amount{font-size:32px;font-weight:600;margin:8px 0}
label{display:block;text-align:left;margin:12px 0 4px}
input{width:100%;box-sizing:border-box;padding:8px;font-size:16px}
button{margin-top:16px;padding:10px 20px;font-size:16px;border:0;border-radius:4px;
background:#07c160;color:#fff;cursor:pointer}
button.secondary{background:#eee;color:#333}
#qr{position:relative;display:inline-block;min-height:200px}
#qr svg{width:240px;height:240px}
#qr.expired svg{opacity:.15}
#status{font-size:18px;margin:12px 0}
#status[data-state=PAID]{color:#07c160;font-size:24px;font-weight:600}
#status[data-state=CLOSED],#status[data-state=FAILED]{color:#c33}
.error{color:#c33}
.small{color:#888;font-size:12px;word-break:break-all}
)css";

// The checkout script. The server pushes the status as soon as it changes (Server-Sent Events);
// when the stream drops the page polls the status route every 2.5 s until the stream is back
// (EventSource reconnects by itself). `version` orders the answers of both channels.
constexpr char kScript[] = R"js(
(function () {
  var body = document.body;
  var base = '/orders/' + encodeURIComponent(body.dataset.order);
  var statusEl = document.getElementById('status');
  var qrEl = document.getElementById('qr');
  var refreshEl = document.getElementById('refresh');
  var countdownEl = document.getElementById('countdown');
  var payEl = document.getElementById('sandbox-pay');
  var newOrderEl = document.getElementById('new-order');
  var returnAfter = Number(body.dataset.returnAfter || 0);
  var current = JSON.parse(body.dataset.status);
  var texts = {
    WAITING: '请使用微信扫一扫 · Scan the QR code with WeChat to pay',
    PAID: '支付成功 · Payment successful',
    CLOSED: '二维码已过期 · This QR code has expired',
    FAILED: '支付失败 · Payment failed'
  };
  var stream = null, poller = null, expiryTimer = null, closeAt = 0, done = false;

  function stopPolling() { if (poller) { clearInterval(poller); poller = null; } }
  function poll() {
    fetch(base + '/status', {cache: 'no-store'}).then(function (r) { return r.json(); })
      .then(render).catch(function () {});
  }
  function startPolling() {
    if (poller || done) return;
    body.dataset.channel = 'polling';
    poller = setInterval(poll, 2500);
    poll();
  }
  function loadQr() {
    fetch(base + '/qr.svg?v=' + current.qr_version, {cache: 'no-store'})
      .then(function (r) { return r.text(); })
      .then(function (svg) { qrEl.innerHTML = svg.slice(svg.indexOf('<svg')); });
  }
  function showExpired() {
    if (done) return;
    qrEl.classList.add('expired');
    statusEl.textContent = '二维码已过期 · This QR code has expired';
    refreshEl.hidden = false;
  }
  function render(s) {
    if (done || s.version < current.version) return;
    var newQr = s.qr_version !== current.qr_version;
    current = s;
    statusEl.dataset.state = s.state;
    statusEl.textContent = texts[s.state] + (s.message ? ' (' + s.message + ')' : '');
    clearTimeout(expiryTimer);
    if (s.state === 'WAITING') {
      if (newQr) loadQr();
      closeAt = Date.now() + s.close_in_ms;
      qrEl.classList.remove('expired');
      refreshEl.hidden = true;
      if (s.qr_expired) showExpired();
      else expiryTimer = setTimeout(showExpired, s.qr_expires_in_ms);
      return;
    }
    done = true;
    if (stream) stream.close();
    stopPolling();
    countdownEl.textContent = '';
    if (payEl) payEl.hidden = true;
    qrEl.hidden = true;
    refreshEl.hidden = s.state === 'PAID';
    newOrderEl.hidden = false;
    if (returnAfter > 0) returnHome(returnAfter);
  }
  // A kiosk goes back to the order form by itself, counting down on the page.
  function returnHome(left) {
    countdownEl.textContent = left + ' 秒后返回 · Back to a new order in ' + left + ' s';
    if (left <= 0) { location.assign('/'); return; }
    setTimeout(function () { returnHome(left - 1); }, 1000);
  }
  function mmss(seconds) {
    return Math.floor(seconds / 60) + ':' + ('0' + seconds % 60).slice(-2);
  }
  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    stream = new EventSource(base + '/events');
    stream.addEventListener('status', function (e) {
      body.dataset.channel = 'sse';
      stopPolling();
      render(JSON.parse(e.data));
    });
    stream.onerror = function () { if (!done) startPolling(); };
  }
  refreshEl.addEventListener('click', function () {
    refreshEl.disabled = true;
    fetch(base + '/refresh', {method: 'POST'}).then(function (r) { return r.json(); })
      .then(function (j) {
        refreshEl.disabled = false;
        if (j.redirect) location.assign(j.redirect); else render(j);
      }).catch(function () { refreshEl.disabled = false; });
  });
  if (payEl) payEl.addEventListener('click', function () {
    fetch(base + '/sandbox-pay', {method: 'POST'});
  });
  setInterval(function () {
    if (done || !closeAt) return;
    var left = Math.max(0, Math.round((closeAt - Date.now()) / 1000));
    countdownEl.textContent = mmss(left) + ' 后关闭 · Closes in ' + mmss(left);
  }, 1000);
  var initial = current;
  current = {version: -1, qr_version: initial.qr_version};  // the page holds this QR code already
  render(initial);
  connect();
})();
)js";

std::string Head(std::string const& title) {
  return "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
         "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><title>" +
         HtmlEscape(title) + "</title><style>" + kStyle + "</style></head>\n";
}

// The heading of every page: the shop's name, and whose checkout it is.
std::string Banner(PageOptions const& options) {
  return "<h1 id=\"shop\">" + HtmlEscape(options.shop_name) +
         "</h1><p class=\"brand\">微信支付 · WeChat Pay</p>";
}

// The way back to the order form; on the checkout page hidden until the checkout ends.
std::string NewOrderLink(bool hidden) {
  return std::string("<p><a class=\"button\" id=\"new-order\" href=\"/\"") +
         (hidden ? " hidden" : "") + ">新订单 · New order</a></p>";
}

}  // namespace

std::string HtmlEscape(std::string const& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormPage(PageOptions const& options, std::string const& error,
                     std::string const& description, std::string const& amount) {
  std::string page = Head(options.shop_name);
  page += "<body><main>" + Banner(options);
  if (!error.empty()) page += "<p class=\"error\" id=\"error\">" + HtmlEscape(error) + "</p>";
  page +=
      "<form method=\"post\" action=\"/orders\">"
      "<label for=\"description\">商品 · Description</label>"
      "<input id=\"description\" name=\"description\" maxlength=\"127\" required value=\"" +
      HtmlEscape(description) +
      "\"><label for=\"amount\">金额 (元) · Amount (CNY)</label>"
      "<input id=\"amount\" name=\"amount\" inputmode=\"decimal\" required "
      "pattern=\"[0-9]{1,8}([.][0-9]{1,2})?\" value=\"" +
      HtmlEscape(amount) +
      "\"><button type=\"submit\" id=\"pay\">下单并支付 · Pay with WeChat</button>"
      "</form></main></body></html>\n";
  return page;
}

std::string CheckoutPage(PageOptions const& options, CheckoutView const& view) {
  std::string page = Head(options.shop_name + " · " + view.description);
  page += "<body data-order=\"" + HtmlEscape(view.out_trade_no) + "\" data-status=\"" +
          HtmlEscape(view.status_json) + "\" data-return-after=\"" +
          std::to_string(options.return_after_seconds) + "\" data-channel=\"none\"><main>" +
          Banner(options) + "<p class=\"amount\">¥" + HtmlEscape(view.amount_yuan) + "</p><p>" +
          HtmlEscape(view.description) + "</p><div id=\"qr\">" + view.svg +
          "</div><p id=\"status\" data-state=\"WAITING\" role=\"status\" aria-live=\"polite\">"
          "</p><p id=\"countdown\" class=\"small\"></p>"
          "<button id=\"refresh\" hidden>刷新二维码 · Refresh QR code</button>";
  page += NewOrderLink(true);
  if (view.sandbox) {
    page +=
        "<p><button id=\"sandbox-pay\" class=\"secondary\">沙箱：扫码支付 · Sandbox: scan and "
        "pay</button></p>";
  }
  page += "<p class=\"small\">订单号 · Order " + HtmlEscape(view.out_trade_no) +
          "</p></main><script>" + kScript + "</script></body></html>\n";
  return page;
}

std::string MessagePage(PageOptions const& options, std::string const& title,
                        std::string const& text) {
  return Head(title) + "<body><main>" + Banner(options) + "<h2 id=\"message-title\">" +
         HtmlEscape(title) + "</h2><p id=\"message\">" + HtmlEscape(text) + "</p>" +
         NewOrderLink(false) + "</main></body></html>\n";
}

std::string FaviconSvg() {
  // A green rounded square with a white check mark: recognisable at 16 px.
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">"
         "<rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#07c160\"/>"
         "<path d=\"M8 17l5 5 11-12\" fill=\"none\" stroke=\"#fff\" stroke-width=\"4\" "
         "stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>\n";
}

}  // namespace cashier
