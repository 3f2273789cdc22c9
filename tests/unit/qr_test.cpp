// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// wechatpay::qr: what it renders is decoded with a real QR decoder (zbarimg; SVG rasterised by
// rsvg-convert; terminal text redrawn as the pixels a terminal would show) and must give back
// exactly the bytes that went in — code_urls with ?, &, =, % and trailing spaces, Chinese text.

#include "wechatpay/qr.hpp"

#include <cstdint>
#include <tuple>

#include "catch.hpp"
#include "support/qr_decoder.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::DecodeQrImage;
using testing::TempDir;
using testing::WriteFile;

// Texts that a careless encoder would change: trimmed, URL-encoded, re-encoded or cut.
std::vector<std::string> const kTexts = {
    "weixin://wxpay/bizpayurl?pr=NwY5Mz9",
    "weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00&x=a%20b%3D=c&y==  ",
    "  leading spaces, a\ttab and a newline\n",
    "门店扫码-可乐 ¥3.00 ",
    std::string("a NUL \0 inside", 14),
};

std::string Hex(std::string const& bytes) {
  static char const kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// The 4-byte big-endian integer at `offset` of a PNG (IHDR width at 16, height at 20).
std::uint32_t PngInt(std::string const& png, std::size_t offset) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<unsigned char>(png[offset + i]);
  }
  return value;
}

// Splits terminal output into lines of characters (each a UTF-8 sequence).
std::vector<std::vector<std::string>> TerminalCells(std::string const& text) {
  std::vector<std::vector<std::string>> lines(1);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\n') {
      lines.emplace_back();
      ++i;
      continue;
    }
    auto const lead = static_cast<unsigned char>(text[i]);
    std::size_t const n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    lines.back().push_back(text.substr(i, n));
    i += n;
  }
  if (lines.back().empty()) lines.pop_back();
  return lines;
}

// The pixels a terminal shows for `text` as a PBM image (8×8 pixels per module): block halves
// in the foreground colour, blanks in the background colour, which `light_ink` says.
std::string TerminalScreenshot(std::string const& text, bool light_ink) {
  auto const lines = TerminalCells(text);
  std::vector<std::vector<bool>> dark;  // per module row
  for (auto const& line : lines) {
    std::vector<bool> top, bottom;
    for (auto const& cell : line) {
      bool const ink_top = cell == "\u2588" || cell == "\u2580";
      bool const ink_bottom = cell == "\u2588" || cell == "\u2584";
      top.push_back(ink_top != light_ink);
      bottom.push_back(ink_bottom != light_ink);
    }
    dark.push_back(top);
    dark.push_back(bottom);
  }
  constexpr int kScale = 8;
  std::string pbm = "P1\n" + std::to_string(dark[0].size() * kScale) + " " +
                    std::to_string(dark.size() * kScale) + "\n";
  for (auto const& row : dark) {
    std::string line;
    for (bool is_dark : row) {
      for (int i = 0; i < kScale; ++i) line += is_dark ? "1 " : "0 ";
    }
    line += "\n";
    for (int i = 0; i < kScale; ++i) pbm += line;
  }
  return pbm;
}

TEST_CASE("QR PNG decodes to exactly the input bytes") {
  TempDir dir;
  for (auto const& text : kTexts) {
    auto png = RenderQrPng(text);
    REQUIRE(png.ok());
    CHECK(png->compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    WriteFile(dir.File("code.png"), *png);
    CAPTURE(Hex(text));
    CHECK(Hex(DecodeQrImage(dir.File("code.png"))) == Hex(text));
  }
}

TEST_CASE("QR SVG decodes to exactly the input bytes") {
  TempDir dir;
  for (auto const& text : kTexts) {
    auto svg = RenderQrSvg(text);
    REQUIRE(svg.ok());
    WriteFile(dir.File("code.svg"), *svg);
    testing::RasteriseSvg(dir.File("code.svg"), dir.File("code.png"));
    CAPTURE(Hex(text));
    CHECK(Hex(DecodeQrImage(dir.File("code.png"))) == Hex(text));
  }
}

TEST_CASE("QR terminal text scans from a dark terminal, and dark-on-light from a light one") {
  TempDir dir;
  for (auto const& text : kTexts) {
    CAPTURE(Hex(text));
    auto dark_terminal = RenderQrTerminal(text);
    REQUIRE(dark_terminal.ok());
    WriteFile(dir.File("dark.pbm"), TerminalScreenshot(*dark_terminal, /*light_ink=*/true));
    CHECK(Hex(DecodeQrImage(dir.File("dark.pbm"))) == Hex(text));

    QrOptions options;
    options.terminal_colors = QrTerminalColors::kDarkOnLight;
    auto light_terminal = RenderQrTerminal(text, options);
    REQUIRE(light_terminal.ok());
    WriteFile(dir.File("light.pbm"), TerminalScreenshot(*light_terminal, /*light_ink=*/false));
    CHECK(Hex(DecodeQrImage(dir.File("light.pbm"))) == Hex(text));
  }
}

TEST_CASE("QR terminal text: quiet zone, line count, half blocks only") {
  std::string const text = "weixin://wxpay/bizpayurl?pr=NwY5Mz9";
  auto matrix = EncodeQr(text);
  REQUIRE(matrix.ok());
  int const side = matrix->size + 8;
  auto out = RenderQrTerminal(text);
  REQUIRE(out.ok());
  CHECK(out->back() == '\n');
  auto const lines = TerminalCells(*out);
  REQUIRE(static_cast<int>(lines.size()) == (side + 1) / 2);
  for (std::size_t y = 0; y < lines.size(); ++y) {
    auto const& line = lines[y];
    REQUIRE(static_cast<int>(line.size()) == side);
    for (std::size_t x = 0; x < line.size(); ++x) {
      auto const& cell = line[x];
      CHECK((cell == "\u2588" || cell == "\u2580" || cell == "\u2584" || cell == " "));
      // Light-on-dark: the 4-module quiet zone is light, so drawn as blocks. The symbol's side
      // is odd, so the last line's lower half lies past the edge and stays blank.
      bool const left_or_right = x < 4 || x >= line.size() - 4;
      bool const last = y + 1 == lines.size();
      if (y < 2) CHECK(cell == "\u2588");
      if (last) CHECK(cell == "\u2580");
      if (left_or_right && !last) CHECK(cell == "\u2588");
    }
  }
  // Module (x, y) of the symbol is dark exactly when the cell leaves that half blank.
  for (int y = 0; y < matrix->size; ++y) {
    for (int x = 0; x < matrix->size; ++x) {
      auto const& cell =
          lines[static_cast<std::size_t>((y + 4) / 2)][static_cast<std::size_t>(x + 4)];
      bool const upper = (y + 4) % 2 == 0;
      bool const ink = cell == "\u2588" || cell == (upper ? "\u2580" : "\u2584");
      CHECK(ink == !matrix->Dark(x, y));
    }
  }

  QrOptions options;
  options.quiet_zone = 0;
  options.terminal_colors = QrTerminalColors::kDarkOnLight;
  auto bare = RenderQrTerminal(text, options);
  REQUIRE(bare.ok());
  auto const bare_lines = TerminalCells(*bare);
  CHECK(static_cast<int>(bare_lines.size()) == (matrix->size + 1) / 2);
  CHECK(static_cast<int>(bare_lines[0].size()) == matrix->size);
  // Dark-on-light without a quiet zone, the first line is the top-left finder pattern's first
  // two rows: all seven modules dark above; dark, five light, dark below.
  CHECK(bare_lines[0][0] == "\u2588");
  for (std::size_t x = 1; x < 6; ++x) CHECK(bare_lines[0][x] == "\u2580");
  CHECK(bare_lines[0][6] == "\u2588");
}

TEST_CASE("QR PNG and SVG sizes follow module_size and quiet_zone") {
  std::string const text = "weixin://wxpay/bizpayurl?pr=NwY5Mz9";
  auto matrix = EncodeQr(text);
  REQUIRE(matrix.ok());
  CHECK(matrix->size == 29);  // 35 bytes need version 3 at level M
  QrOptions options;
  options.module_size = 3;
  options.quiet_zone = 2;
  auto png = RenderQrPng(text, options);
  REQUIRE(png.ok());
  CHECK(png->substr(12, 4) == "IHDR");
  CHECK(PngInt(*png, 16) == static_cast<std::uint32_t>((29 + 4) * 3));
  CHECK(PngInt(*png, 20) == static_cast<std::uint32_t>((29 + 4) * 3));
  auto svg = RenderQrSvg(text, options);
  REQUIRE(svg.ok());
  CHECK(svg->find("width=\"99\" height=\"99\" viewBox=\"0 0 33 33\"") != std::string::npos);
  CHECK(svg->find("<rect width=\"33\" height=\"33\" fill=\"#ffffff\"/>") != std::string::npos);
}

TEST_CASE("QR error-correction levels: bigger symbols, all decodable") {
  TempDir dir;
  std::string const text = "weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00";
  int previous = 0;
  for (auto level : {QrErrorCorrection::kLow, QrErrorCorrection::kMedium,
                     QrErrorCorrection::kQuartile, QrErrorCorrection::kHigh}) {
    auto matrix = EncodeQr(text, level);
    REQUIRE(matrix.ok());
    CHECK(matrix->size >= previous);
    previous = matrix->size;
    QrOptions options;
    options.error_correction = level;
    auto png = RenderQrPng(text, options);
    REQUIRE(png.ok());
    WriteFile(dir.File("level.png"), *png);
    CHECK(DecodeQrImage(dir.File("level.png")) == text);
  }
  auto low = EncodeQr(text, QrErrorCorrection::kLow);
  auto high = EncodeQr(text, QrErrorCorrection::kHigh);
  CHECK(high->size > low->size);
}

TEST_CASE("QR limits: empty and too long texts, options out of range") {
  auto empty = RenderQrPng("");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == StatusCode::kInvalidArgument);
  CHECK(empty.status().info().field == "text");

  // The largest symbol (version 40, 177 modules) holds 2331 bytes at level M, 2953 at L.
  auto largest = EncodeQr(std::string(2331, 'a'));
  REQUIRE(largest.ok());
  CHECK(largest->size == 177);
  auto too_long = EncodeQr(std::string(2332, 'a'));
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.status().code() == StatusCode::kInvalidArgument);
  CHECK(too_long.status().message().find("2331") != std::string::npos);
  CHECK(EncodeQr(std::string(2953, 'a'), QrErrorCorrection::kLow).ok());
  CHECK_FALSE(EncodeQr(std::string(2954, 'a'), QrErrorCorrection::kLow).ok());
  CHECK_FALSE(EncodeQr(std::string(1274, 'a'), QrErrorCorrection::kHigh).ok());
  CHECK_FALSE(RenderQrTerminal(std::string(5000, 'a')).ok());

  for (auto [module_size, quiet_zone, field] :
       {std::tuple<int, int, char const*>{0, 4, "module_size"},
        {65, 4, "module_size"},
        {8, -1, "quiet_zone"},
        {8, 17, "quiet_zone"}}) {
    QrOptions options;
    options.module_size = module_size;
    options.quiet_zone = quiet_zone;
    for (auto const& status :
         {RenderQrPng("x", options).status(), RenderQrSvg("x", options).status(),
          RenderQrTerminal("x", options).status()}) {
      CHECK(status.code() == StatusCode::kInvalidArgument);
      CHECK(status.info().field == field);
    }
  }
}

}  // namespace
}  // namespace wechatpay
