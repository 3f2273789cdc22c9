// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file qr.hpp
/// QR codes for a Native order's code_url: as terminal text, SVG or PNG.
///
/// Part of the optional library `wechatpay::qr` (CMake target `wechatpay_qr`, built when
/// libqrencode and libpng are found and `WECHATPAY_WITH_QR` is ON). It is deliberately not
/// included by `<wechatpay/wechatpay.hpp>`: include this header and link `wechatpay::qr`, which
/// also defines `WECHATPAY_HAS_QR=1` for its users so code can test for it with the
/// preprocessor.
///
/// The text is encoded byte for byte in 8-bit mode: never trimmed, URL-encoded, re-encoded or
/// wrapped. A code_url is opaque, and a payer's scanner must read back exactly what WeChat
/// returned.
///
/// Thread safety: every function here may be called from many threads at once.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/qr_export.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// QR error-correction level: how much of the symbol may be damaged or hidden and still scan.
/// Higher levels make a larger symbol for the same text.
enum class QrErrorCorrection {
  /// About 7 % of the symbol recoverable.
  kLow,
  /// About 15 %; the default, and what scanners of screen-shown codes expect.
  kMedium,
  /// About 25 %.
  kQuartile,
  /// About 30 % (printed codes with a logo over them).
  kHigh,
};

/// How terminal text draws the symbol.
enum class QrTerminalColors {
  /// For a terminal that draws light text on a dark background (the default of most terminals):
  /// light modules and the quiet zone are drawn with block characters, dark modules are left
  /// blank so that the dark background shows through. A scanner then sees dark modules on a
  /// light field, as it must: printing dark modules as blocks would invert the code on such a
  /// terminal, and many scanners (WeChat's included) do not read inverted codes.
  kLightOnDark,
  /// For a terminal with dark text on a light background: dark modules are blocks, light ones
  /// blank.
  kDarkOnLight,
};

/// Rendering options. The defaults suit a code_url shown on a screen.
struct WECHATPAY_QR_EXPORT QrOptions {
  /// Error-correction level (default medium).
  QrErrorCorrection error_correction = QrErrorCorrection::kMedium;
  /// Size of one module in pixels for PNG and in SVG user units (width/height attributes):
  /// 1 to 64.
  int module_size = 8;
  /// The blank margin around the symbol, in modules: 0 to 16. The QR standard asks for 4;
  /// scanners often fail with less.
  int quiet_zone = 4;
  /// Terminal text only: which terminal the text is meant for.
  QrTerminalColors terminal_colors = QrTerminalColors::kLightOnDark;
};

/// The modules of an encoded symbol, without the quiet zone.
struct WECHATPAY_QR_EXPORT QrMatrix {
  /// Modules per side (21 for version 1, up to 177 for version 40).
  int size = 0;
  /// Row-major, `size * size` entries: 1 for a dark module, 0 for a light one.
  std::vector<std::uint8_t> modules;

  /// True when the module in column `x`, row `y` is dark (both in [0, size)).
  bool Dark(int x, int y) const {
    return modules[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) +
                   static_cast<std::size_t>(x)] != 0;
  }
};

/// Encodes `text` byte for byte (8-bit mode, smallest version that fits) at `level`. For
/// applications that paint the symbol themselves (Qt, a kiosk's framebuffer, ...).
///
/// Errors: kInvalidArgument (field "text") when `text` is empty or longer than the level allows
/// (2953 bytes at low, 2331 at medium, 1663 at quartile, 1273 at high); kInternal when the
/// encoder fails otherwise (out of memory).
WECHATPAY_QR_EXPORT StatusOr<QrMatrix> EncodeQr(
    std::string_view text, QrErrorCorrection level = QrErrorCorrection::kMedium);

/// Terminal text for `text`: UTF-8 half blocks (U+2580 ▀, U+2584 ▄, U+2588 █ and space), two
/// module rows per line, each line `size + 2 * quiet_zone` characters long and ending in "\n".
/// With an odd number of rows the last line's lower half is left blank (terminal background).
/// No escape sequences: the output can be written to a file or a log as it is.
///
/// Errors: those of EncodeQr; kInvalidArgument naming the option that is out of range.
WECHATPAY_QR_EXPORT StatusOr<std::string> RenderQrTerminal(std::string_view text,
                                                           QrOptions const& options = {});

/// A standalone SVG document: a white square with the dark modules as one black path, in a
/// viewBox of modules (so it scales without blurring) with width and height of
/// `(size + 2 * quiet_zone) * module_size`.
///
/// Errors: those of EncodeQr; kInvalidArgument naming the option that is out of range.
WECHATPAY_QR_EXPORT StatusOr<std::string> RenderQrSvg(std::string_view text,
                                                      QrOptions const& options = {});

/// The bytes of a PNG file: 1-bit greyscale, `(size + 2 * quiet_zone) * module_size` pixels
/// square, dark modules black.
///
/// Errors: those of EncodeQr; kInvalidArgument naming the option that is out of range;
/// kInternal when libpng fails.
WECHATPAY_QR_EXPORT StatusOr<std::string> RenderQrPng(std::string_view text,
                                                      QrOptions const& options = {});

}  // namespace wechatpay
