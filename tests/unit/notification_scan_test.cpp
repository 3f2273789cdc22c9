// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The notification codec and the transaction reader parse with the library's one JSON reader
// (json/json_reader.hpp). Their answer must be the reference answer: RapidJSON's validating
// parse, plus the rules of its own (no NUL, nesting within 64), computed here independently.
// This checks it on texts with the bytes a reader could misjudge (quote, backslash, NUL, control
// characters, every class of UTF-8 lead and continuation byte) planted at every offset around
// the 8- and 16-byte boundaries where vectorised scanners change mode.

#include <rapidjson/document.h>

#include <cstdint>
#include <random>
#include <string>

#include "catch.hpp"
#include "json/json_codec.hpp"
#include "notify/notification_codec.hpp"
#include "support/reference_json_scan.hpp"

namespace wechatpay::internal {
namespace {

// The reference: what CheckPlaintextIsJsonObject() promises, from RapidJSON alone.
bool ReferenceAccepts(std::string const& text) {
  if (!testing::ReferencePreScan(text, 64).empty()) return false;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  return !doc.HasParseError() && doc.IsObject();
}

// The planted sequences that are well-formed UTF-8 (Unicode Table 3-7).
bool IsWellFormedSample(std::string const& bytes) {
  for (char const* bad : {"\x80", "\xbf", "\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80",
                          "\xf4\x90\x80\x80", "\xf5", "\xff"}) {
    if (bytes == bad) return false;
  }
  return true;
}

TEST_CASE("the notification codec and the transaction reader agree with the validating parse") {
  // Bytes the scans treat specially, and ordinary ones.
  std::string const planted[] = {"\"",
                                 "\\",
                                 std::string(1, '\0'),
                                 "\x1f",
                                 "\x1a",
                                 "\x18",
                                 "\x7f",
                                 "\x80",
                                 "\xbf",
                                 "\xc0\x80",
                                 "\xc2\xa9",
                                 "\xe4\xb8\xad",
                                 "\xe0\x80\x80",
                                 "\xed\xa0\x80",
                                 "\xf0\x9f\x98\x80",
                                 "\xf4\x90\x80\x80",
                                 "\xf5",
                                 "\xff",
                                 "\\\"",
                                 "\\u00e9",
                                 "{",
                                 "]",
                                 "a"};
  std::mt19937 random(20261126);
  int accepted = 0;
  int refused = 0;
  for (std::size_t length : {7u, 15u, 16u, 17u, 31u, 33u, 70u}) {
    for (std::size_t at = 0; at < length; ++at) {
      for (auto const& bytes : planted) {
        std::string value(length, 'A');
        for (auto& c : value) c = "ABCabc+/=0123456789"[random() % 19];
        value.replace(at, 1, bytes);
        std::string const text =
            R"({"trade_state":"SUCCESS","ciphertext":")" + value + R"(","n":1})";
        bool const expected = ReferenceAccepts(text);
        INFO("length " << length << ", offset " << at << ", planted byte "
                       << static_cast<int>(static_cast<unsigned char>(bytes[0])));
        CHECK(CheckPlaintextIsJsonObject(text).ok() == expected);
        // Malformed UTF-8 is always refused, and ParseTransaction() (which a TRANSACTION.SUCCESS
        // notification's plaintext takes instead of the plaintext check) accepts nothing that
        // the plaintext check refuses.
        if (!IsWellFormedSample(bytes)) CHECK_FALSE(expected);
        if (ParseTransaction(text).ok()) CHECK(expected);
        (expected ? accepted : refused) += 1;
      }
    }
  }
  // Both answers occur often: the test would notice a scan that refuses or accepts everything.
  CHECK(accepted > 1000);
  CHECK(refused > 1000);
}

}  // namespace
}  // namespace wechatpay::internal
