// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// PreScanJson() takes 64-byte shortcuts (json_prescan.cpp). Its answer must be exactly the
// answer of the plain byte loop (support/reference_json_scan.hpp), including which problem is
// reported when a text has both, on texts dense in the bytes the shortcuts look at, across every
// block boundary.

#include <random>
#include <string>

#include "catch.hpp"
#include "json/json_prescan.hpp"
#include "support/reference_json_scan.hpp"

namespace wechatpay::internal {
namespace {

std::string Reference(std::string const& text, int max_nesting) {
  return testing::ReferencePreScan(text, max_nesting);
}

TEST_CASE("PreScanJson agrees with the byte-by-byte rules on every kind of text") {
  std::mt19937 random(20261127);
  // Alphabets from "mostly plain" to "mostly special", so that blocks of every kind occur:
  // clean, inside one long string, with escapes, with NUL, brackets near the nesting limit.
  std::string const alphabets[] = {
      std::string("abcdefgh+/=0123", 15) + "\"",
      std::string("{[}]\"a,:", 8),
      std::string("{[\"a\"]}\\", 8),
      std::string("\"\\\"a{b}", 7) + std::string(1, '\0'),
      std::string("[[[[{{{a\"", 9),
      std::string("]]}}a\"\\\xe4\xb8\xad", 10),
  };
  int with_problem = 0;
  int without = 0;
  for (int round = 0; round < 20000; ++round) {
    auto const& alphabet = alphabets[static_cast<std::size_t>(round) % std::size(alphabets)];
    std::size_t const length = random() % 300;
    std::string text(length, ' ');
    for (auto& c : text) c = alphabet[random() % alphabet.size()];
    // Sometimes a long clean run, so that whole blocks are plain or inside one string.
    if (round % 4 == 0 && length > 0) {
      std::size_t const from = random() % length;
      for (std::size_t i = from; i < length && i < from + 130; ++i) text[i] = 'x';
    }
    int const max_nesting = round % 3 == 0 ? 64 : static_cast<int>(random() % 12);
    auto const expected = Reference(text, max_nesting);
    INFO("round " << round << ", length " << length << ", max_nesting " << max_nesting);
    REQUIRE(PreScanJson(text, max_nesting) == expected);
    (expected.empty() ? without : with_problem) += 1;
  }
  CHECK(with_problem > 2000);
  CHECK(without > 2000);
}

TEST_CASE("PreScanJson finds the limit exactly where a block shortcut would cross it") {
  // The opening bracket that passes the limit at every offset around 64-byte block edges,
  // with a string before it that holds brackets (which do not count).
  for (std::size_t at = 50; at < 200; ++at) {
    std::string text = "{\"k\":\"[[{{\"";
    while (text.size() < at) text += text.size() % 2 == 0 ? "[" : " ";
    std::string const before = text;
    text += "[";
    text += std::string(40, ']');
    for (int limit : {1, 10, 30, 64}) {
      INFO("at " << at << ", limit " << limit);
      CHECK(PreScanJson(text, limit) == Reference(text, limit));
      CHECK(PreScanJson(before, limit) == Reference(before, limit));
    }
  }
}

}  // namespace
}  // namespace wechatpay::internal
