// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The cashier's two pages, with their CSS and JavaScript inline: no external assets, so the page
// works offline and behind a strict Content-Security-Policy-free kiosk browser alike.

#include <string>

namespace cashier {

/// `text` with & < > " ' replaced by character references (for element text and attributes).
std::string HtmlEscape(std::string const& text);

/// The order form: description and amount in yuan; `error` (plain text) is shown above it.
std::string FormPage(std::string const& error, std::string const& description,
                     std::string const& amount);

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
std::string CheckoutPage(CheckoutView const& view);

/// A small page for errors such as an unknown order.
std::string MessagePage(std::string const& title, std::string const& text);

}  // namespace cashier
