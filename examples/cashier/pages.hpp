// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The cashier's two pages, with their CSS and JavaScript inline: no external assets, so the page
// works offline and behind a strict Content-Security-Policy-free kiosk browser alike.

#include <string>

namespace cashier {

/// `text` with & < > " ' replaced by character references (for element text and attributes).
std::string HtmlEscape(std::string const& text);

/// What every page shows the same way.
struct PageOptions {
  /// The shop's name, the heading of every page.
  std::string shop_name = "收银台 · Checkout";
  /// After a checkout ends (paid, failed, closed), go back to a new order by itself after this
  /// many seconds — for a kiosk nobody is left to click. Zero: only the "new order" button.
  int return_after_seconds = 0;
};

/// The order form: description and amount in yuan; `error` (plain text) is shown above it.
std::string FormPage(PageOptions const& options, std::string const& error,
                     std::string const& description, std::string const& amount);

/// What the checkout page is built from.
struct CheckoutView {
  std::string out_trade_no;
  std::string description;
  std::string amount_yuan;
  /// The QR code as an SVG element (no XML prolog).
  std::string svg;
  /// The status JSON the page starts from (the same document the status route returns).
  std::string status_json;
  /// Show the sandbox's "scan and pay" button.
  bool sandbox = false;
};

/// The checkout page: the QR code, the status, and the script that follows the order (Server-
/// Sent Events, polling the status route when the stream drops, "refresh QR code").
std::string CheckoutPage(PageOptions const& options, CheckoutView const& view);

/// A small page for errors such as an unknown order, with a way back to a new order.
std::string MessagePage(PageOptions const& options, std::string const& title,
                        std::string const& text);

/// The site icon (SVG): the browser asks for it on every page, so it is served, not a 404.
std::string FaviconSvg();

}  // namespace cashier
