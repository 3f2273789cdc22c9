// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A real QR decoder for the QR tests: zbarimg from Debian's zbar-tools, and rsvg-convert from
// librsvg2-bin to rasterise SVG first (paths found by CMake). Header-only, because only the QR
// tests, which are built with wechatpay::qr, use it.

#include <string>

#include "catch.hpp"
#include "support/run_process.hpp"

namespace wechatpay::testing {

/// The exact bytes of the one QR code in the image at `path` (PNG, PBM, ...). `-Sbinary` makes
/// zbarimg print the payload as it is — no charset guessing, no newline appended.
inline std::string DecodeQrImage(std::string const& path) {
  std::string const zbarimg = WECHATPAY_ZBARIMG_PATH;
  INFO("zbarimg not found at configure time: install zbar-tools and re-run cmake");
  REQUIRE(!zbarimg.empty());
  auto result = RunProcess(zbarimg, {"--quiet", "--raw", "-Sbinary", path});
  INFO("zbarimg " << path << " exited " << result.exit_code << ": " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

/// Rasterises the SVG file `svg` into the PNG file `png` with rsvg-convert.
inline void RasteriseSvg(std::string const& svg, std::string const& png) {
  std::string const rsvg = WECHATPAY_RSVG_CONVERT_PATH;
  INFO("rsvg-convert not found at configure time: install librsvg2-bin and re-run cmake");
  REQUIRE(!rsvg.empty());
  auto result = RunProcess(rsvg, {"--format", "png", "--output", png, svg});
  INFO("rsvg-convert exited " << result.exit_code << ": " << result.err);
  REQUIRE(result.exit_code == 0);
}

}  // namespace wechatpay::testing
