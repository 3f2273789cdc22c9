// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The one JSON reader (json/json_reader.hpp) enforces the NUL and nesting rules through
// RapidJSON's parse and a walk of the parsed values, and names the problem with a byte loop only
// once a text has failed. Its answer must be exactly the answer of the plain byte loop
// (support/reference_json_scan.hpp), including which problem is reported when a text has both,
// and no text with a NUL or with nesting beyond the limit may ever parse.

#include <random>
#include <string>

#include "catch.hpp"
#include "json/json_reader.hpp"
#include "support/reference_json_scan.hpp"

namespace wechatpay::internal {
namespace {

std::string Reference(std::string const& text) {
  return testing::ReferencePreScan(text, kMaxJsonNesting);
}

// What JsonDocument reports, reduced to the NUL/nesting problem ("" for anything else).
std::string NulOrNesting(std::string const& text) {
  JsonDocument doc;
  auto problem = doc.Parse(text);
  bool const rule = problem == "contains a NUL byte" ||
                    problem == "nests deeper than " + std::to_string(kMaxJsonNesting) + " levels";
  return rule ? problem : std::string();
}

TEST_CASE("JsonDocument refuses NUL bytes and deep nesting exactly as the byte-by-byte rules") {
  std::mt19937 random(20261127);
  // Alphabets from "mostly plain" to "mostly special": clean texts, one long string, escapes,
  // NUL, brackets near and beyond the nesting limit.
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
    if (round % 4 == 0 && length > 0) {
      std::size_t const from = random() % length;
      for (std::size_t i = from; i < length && i < from + 130; ++i) text[i] = 'x';
    }
    auto const expected = Reference(text);
    INFO("round " << round << ", length " << length);
    REQUIRE(NulOrNesting(text) == expected);
    (expected.empty() ? without : with_problem) += 1;
  }
  CHECK(with_problem > 2000);
  CHECK(without > 2000);
}

TEST_CASE("JsonDocument accepts valid JSON at the nesting limit and refuses one level more") {
  auto arrays = [](int levels) {
    auto const n = static_cast<std::size_t>(levels);
    return std::string(n, '[') + std::string(n, ']');
  };
  auto objects = [](int levels) {
    std::string text;
    for (int i = 0; i < levels; ++i) text += "{\"k\":";
    return text + "0" + std::string(static_cast<std::size_t>(levels), '}');
  };
  for (int levels : {1, 2, 63, 64, 65, 66}) {
    INFO(levels << " levels");
    std::string const expected = levels <= 64 ? "" : "nests deeper than 64 levels";
    JsonDocument doc;
    CHECK(doc.Parse(arrays(levels)) == expected);
    CHECK(doc.Parse(objects(levels)) == expected);
  }
  // Brackets inside strings do not count, and a huge unclosed nest is named as such.
  JsonDocument doc;
  CHECK(doc.Parse("[\"" + std::string(1000, '[') + "\"]").empty());
  CHECK(doc.Parse(std::string(100000, '[')) == "nests deeper than 64 levels");
}

TEST_CASE("JsonDocument refuses invalid UTF-8 and raw control characters, accepts them escaped") {
  JsonDocument doc;
  for (std::string const bad : {"\x80", "\xc0\x80", "\xc3\x28", "\xe0\x80\x80", "\xed\xa0\x80",
                                "\xf4\x90\x80\x80", "\xf5", "\xff", "\x01", "\x1a", "\x1f"}) {
    INFO(static_cast<int>(static_cast<unsigned char>(bad[0])));
    auto problem = doc.Parse("{\"a\":\"x" + bad + "y\"}");
    CHECK(problem.find("is not valid JSON at offset") == 0);
  }
  CHECK(doc.Parse(R"({"a":"\u001f\u0000\t 深圳 \ud83d\ude00"})").empty());
  CHECK(doc.Parse("{\"a\":\"\xf0\x9f\x98\x80\"}").empty());
}

TEST_CASE("JsonDocument refuses a text that ends inside a multi-byte UTF-8 sequence") {
  // RapidJSON's validation reads a sequence's continuation bytes without checking for the end;
  // the clang fuzz build (scripts/run-fuzzers.sh) saw it read past the copy's terminator until
  // the copy was padded (fuzz/regressions/*/truncated-utf8-at-end replay those inputs). Here:
  // such texts are refused, whatever the sequence's length.
  for (std::string const lead : {"\xc3", "\xe7", "\xe7\x99", "\xf0", "\xf0\x9f\x98"}) {
    INFO(lead.size());
    JsonDocument doc;
    // Longer than a short-string buffer, so the copy is a heap block of exactly its size.
    CHECK_FALSE(
        doc.Parse(R"({"code":"PARAM_ERROR","message":"one Chinese word: 签名)" + lead).empty());
    CHECK_FALSE(doc.Parse("\"" + std::string(40, 'x') + lead).empty());
  }
}

}  // namespace
}  // namespace wechatpay::internal
