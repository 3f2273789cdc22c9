// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The real `wechatpay` binary explains itself: every command and subcommand that
// `wechatpay help` lists answers --help with each option explained (units of amounts and times
// included) and an example, `help COMMAND` prints the same text, and `version` reports the
// library, its OpenSSL and libcurl, and the components of the build.

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/run_process.hpp"
#include "wechatpay/version.hpp"

namespace wechatpay {
namespace {

using testing::RunCli;

std::vector<std::string> Lines(std::string const& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines of the section that starts with the line `title` and ends at a blank line.
std::vector<std::string> Section(std::string const& text, std::string const& title) {
  std::vector<std::string> out;
  bool in = false;
  for (auto const& line : Lines(text)) {
    if (in && line.empty()) break;
    if (in) out.push_back(line);
    if (line == title) in = true;
  }
  return out;
}

// The first words of a section's rows ("  NAME   summary"), continuation lines skipped.
std::vector<std::string> RowNames(std::vector<std::string> const& rows) {
  std::vector<std::string> names;
  for (auto const& row : rows) {
    if (row.size() < 3 || row.compare(0, 2, "  ") != 0 || row[2] == ' ') continue;
    names.push_back(row.substr(2, row.find(' ', 2) - 2));
  }
  return names;
}

// Each explained option of an Options section: "--name PLACEHOLDER" -> its explanation.
std::vector<std::pair<std::string, std::string>> ExplainedOptions(std::string const& help) {
  std::vector<std::pair<std::string, std::string>> options;
  for (auto const& row : Section(help, "Options:")) {
    if (row.rfind("  --", 0) == 0) {
      auto const label_end = row.find("  ", 2);
      std::string label =
          row.substr(2, label_end == std::string::npos ? std::string::npos : label_end - 2);
      std::string text = label_end == std::string::npos ? "" : row.substr(label_end);
      options.emplace_back(label, text);
    } else if (!options.empty()) {
      options.back().second += " " + row;
    }
  }
  return options;
}

std::vector<std::string> With(std::vector<std::string> words, std::string const& last) {
  words.push_back(last);
  return words;
}

std::string Join(std::vector<std::string> const& words) {
  std::string out;
  for (auto const& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

TEST_CASE("wechatpay help: every command explains each option, with an example") {
  auto const overview = RunCli({"help"});
  REQUIRE(overview.exit_code == 0);
  CHECK(RunCli({"--help"}).out == overview.out);
  auto const commands = RowNames(Section(overview.out, "Commands:"));
  for (char const* name : {"help", "version", "sign", "order", "refund", "watch", "checkout", "qr",
                           "ledger", "reconcile"}) {
    CHECK(std::find(commands.begin(), commands.end(), name) != commands.end());
  }

  // Every command, and every subcommand its help lists.
  std::vector<std::vector<std::string>> pending;
  for (auto const& name : commands) pending.push_back({name});
  int walked = 0;
  while (!pending.empty()) {
    auto const words = pending.front();
    pending.erase(pending.begin());
    ++walked;
    INFO("wechatpay " << Join(words) << " --help");
    auto const help = RunCli(With(words, "--help"));
    CHECK(help.exit_code == 0);
    // The command's parser and its help agree (--help names every disagreement on stderr).
    CHECK(help.err.empty());
    CHECK(help.out.rfind("usage: wechatpay [GLOBAL OPTIONS] " + Join(words), 0) == 0);
    auto const example = Section(help.out, "Example:");
    REQUIRE(example.size() == 1);
    CHECK(example[0].rfind("  wechatpay ", 0) == 0);
    CHECK((example[0] + " ").find(" " + Join(words) + " ") != std::string::npos);

    std::vector<std::string> help_words = {"help"};
    help_words.insert(help_words.end(), words.begin(), words.end());
    auto const via_help = RunCli(help_words);
    CHECK(via_help.exit_code == 0);
    CHECK(via_help.out == help.out);

    auto const options = ExplainedOptions(help.out);
    std::string const usage = Lines(help.out).front();
    // Every option of the usage line is explained, and every explanation says something.
    std::smatch match;
    for (auto it = usage.cbegin();
         std::regex_search(it, usage.cend(), match, std::regex("--[a-z0-9-]+"));
         it = match.suffix().first) {
      bool explained = false;
      for (auto const& [label, text] : options) {
        if (label == match.str() || label.rfind(match.str() + " ", 0) == 0) explained = true;
      }
      INFO(match.str() << " of the usage line is not explained");
      CHECK(explained);
    }
    for (auto const& [label, text] : options) {
      INFO(label << ": " << text);
      CHECK(text.find_first_not_of(' ') != std::string::npos);
      // Units: amounts in fen, durations in seconds.
      if (label.find(" FEN") != std::string::npos) CHECK(text.find("fen") != std::string::npos);
      if (label.find(" SECONDS") != std::string::npos) {
        CHECK(text.find("second") != std::string::npos);
      }
    }
    for (auto const& sub : RowNames(Section(help.out, "Subcommands:"))) {
      pending.push_back(With(words, sub));
    }
  }
  CHECK(walked > static_cast<int>(commands.size()));  // ledger list and ledger show too

  // The units the issue names, where a merchant looks for them.
  auto const order = ExplainedOptions(RunCli({"order", "--help"}).out);
  bool total_in_fen = false;
  for (auto const& [label, text] : order) {
    if (label == "--total FEN") total_in_fen = text.find("in fen") != std::string::npos;
  }
  CHECK(total_in_fen);

  auto const unknown = RunCli({"help", "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("frobnicate") != std::string::npos);
}

TEST_CASE("wechatpay version: the library, OpenSSL, libcurl and the components of the build") {
  auto const version = RunCli({"version"});
  REQUIRE(version.exit_code == 0);
  CHECK(RunCli({"--version"}).out == version.out);
  auto const lines = Lines(version.out);
  REQUIRE(lines.size() == 4);
  // The first line is what scripts read (tests/packaging/consumer_test.sh).
  CHECK(lines[0] == std::string("wechatpay ") + WECHATPAY_VERSION_STRING);
  CHECK(lines[1] == std::string("openssl: ") + OpenSSL_version(OPENSSL_VERSION));
  CHECK(lines[2] == std::string("libcurl: ") + curl_version_info(CURLVERSION_NOW)->version);
  CHECK(std::regex_match(lines[3], std::regex("components: qr=(yes|no) sandbox=(yes|no) "
                                              "ledger=(yes|no) postgres=(yes|no)")));
#if defined(WECHATPAY_HAS_QR)
  CHECK(lines[3].find("qr=yes") != std::string::npos);
#endif
#if defined(WECHATPAY_CLI_HAS_LEDGER)
  CHECK(lines[3].find("ledger=yes") != std::string::npos);
#else
  CHECK(lines[3].find("ledger=no") != std::string::npos);
#endif
  // The sandbox component and the sandbox command come together.
  auto const commands = RowNames(Section(RunCli({"help"}).out, "Commands:"));
  bool const has_sandbox = std::find(commands.begin(), commands.end(), "sandbox") != commands.end();
  CHECK(lines[3].find(has_sandbox ? "sandbox=yes" : "sandbox=no") != std::string::npos);
}

}  // namespace
}  // namespace wechatpay
