// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay qr`: the PNG and SVG it writes decode (zbarimg) back to exactly the --text given;
// terminal text goes to stdout; bad usage exits 2.

#include "catch.hpp"
#include "support/qr_decoder.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::DecodeQrImage;
using testing::RunCli;
using testing::TempDir;

TEST_CASE("wechatpay qr --format png round-trips the exact text") {
  TempDir dir;
  for (std::string const text :
       {"weixin://wxpay/bizpayurl?pr=NwY5Mz9", "weixin://wxpay/bizpayurl/up?pr=a%2Fb&c=d=e  ",
        "门店扫码-可乐 ", "-starts-with-a-dash"}) {
    CAPTURE(text);
    auto r = RunCli({"qr", "--text", text, "--format", "png", "--output", dir.File("f.png")});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(DecodeQrImage(dir.File("f.png")) == text);
  }
}

TEST_CASE("wechatpay qr: svg, terminal, --text-file and options") {
  TempDir dir;
  std::string const text = "weixin://wxpay/bizpayurl?pr=NwY5Mz9&x=%41 ";
  SECTION("svg to a file") {
    auto r = RunCli({"qr", "--text", text, "--format", "svg", "--output", dir.File("f.svg"),
                     "--ec-level", "H", "--size", "4"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    testing::RasteriseSvg(dir.File("f.svg"), dir.File("f.png"));
    CHECK(DecodeQrImage(dir.File("f.png")) == text);
  }
  SECTION("terminal text to stdout, the library's rendering") {
    auto r = RunCli({"qr", "--text", text});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\u2588") != std::string::npos);
    CHECK(r.out.back() == '\n');
    auto r2 = RunCli({"qr", "--text", text, "--format", "terminal", "--quiet-zone", "2",
                      "--terminal-colors", "dark-on-light"});
    REQUIRE(r2.exit_code == 0);
    CHECK(r2.out.size() < r.out.size());
  }
  SECTION("--text-file keeps every byte, the trailing newline included") {
    testing::WriteFile(dir.File("text"), text + "\n");
    auto r = RunCli(
        {"qr", "--text-file", dir.File("text"), "--format", "png", "--output", dir.File("f.png")});
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("warning: the text ends with a newline") != std::string::npos);
    CHECK(DecodeQrImage(dir.File("f.png")) == text + "\n");
  }
}

TEST_CASE("wechatpay qr --text-file - reads stdin; a trailing newline is warned about") {
  TempDir dir;
  std::string const url = "weixin://wxpay/bizpayurl?pr=NwY5Mz9";
  auto png = [&](std::vector<std::string> args, std::string const& input) {
    args.insert(args.begin(), {"qr", "--format", "png", "--output", dir.File("f.png")});
    return testing::RunProcessWithInput(WECHATPAY_CLI_PATH, args, input);
  };
  char const kWarning[] = "warning: the text ends with a newline";
  SECTION("stdin, byte for byte, no warning without a newline") {
    auto r = png({"--text-file", "-"}, url);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(DecodeQrImage(dir.File("f.png")) == url);
  }
  SECTION("a newline from stdin is encoded, with a warning") {
    auto r = png({"--text-file", "-"}, url + "\n");  // what `echo URL |` sends
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find(kWarning) != std::string::npos);
    CHECK(r.err.find("--strip-newline") != std::string::npos);
    CHECK(DecodeQrImage(dir.File("f.png")) == url + "\n");
  }
  SECTION("--text with a newline warns too") {
    auto r = png({"--text", url + "\n"}, "");
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find(kWarning) != std::string::npos);
  }
  SECTION("--strip-newline drops exactly one line ending") {
    auto one = png({"--text-file", "-", "--strip-newline"}, url + "\n");
    REQUIRE(one.exit_code == 0);
    CHECK(one.err.empty());
    CHECK(DecodeQrImage(dir.File("f.png")) == url);
    auto crlf = png({"--text-file", "-", "--strip-newline"}, url + "\r\n");
    REQUIRE(crlf.exit_code == 0);
    CHECK(DecodeQrImage(dir.File("f.png")) == url);
    // Two: one stays, and is warned about.
    auto two = png({"--text-file", "-", "--strip-newline"}, url + "\n\n");
    REQUIRE(two.exit_code == 0);
    CHECK(two.err.find(kWarning) != std::string::npos);
    CHECK(DecodeQrImage(dir.File("f.png")) == url + "\n");
    // None: nothing is dropped.
    auto none = png({"--text-file", "-", "--strip-newline"}, url);
    REQUIRE(none.exit_code == 0);
    CHECK(DecodeQrImage(dir.File("f.png")) == url);
  }
  SECTION("endless stdin is refused, not read into memory") {
    auto r = png({"--text-file", "-"}, std::string(200000, 'a'));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("more than 65536 bytes") != std::string::npos);
  }
}

TEST_CASE("wechatpay qr exits 2 for bad usage") {
  TempDir dir;
  for (auto const& args : std::vector<std::vector<std::string>>{
           {"qr"},
           {"qr", "--text", ""},
           {"qr", "--text", "x", "--format", "png"},  // png needs --output
           {"qr", "--text", "x", "--format", "gif", "--output", dir.File("x")},
           {"qr", "--text", "x", "--ec-level", "X"},
           {"qr", "--text", "x", "--size", "0"},
           {"qr", "--text", "x", "--quiet-zone", "many"},
           {"qr", "--text", "x", "--text-file", dir.File("x")},
           {"qr", "--text", std::string(3000, 'a')},
           {"qr", "--text", "x", "--format", "png", "--output", dir.File("no/such/dir/f.png")},
       }) {
    auto r = RunCli(args);
    CAPTURE(args.size(), r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(r.out.empty());
  }
}

}  // namespace
}  // namespace wechatpay
