// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: NotificationParser::Parse() on a delivery exactly as it arrives: the
// Wechatpay-* headers and the raw body, unsigned by the harness. This is the attacker's view:
// the size limit, the header, timestamp, serial and SIGNTEST checks, and the signature check
// over hostile bytes. (notification_signed gets past the signature.)
//
// Input: an HTTP message (fuzz_support.hpp) whose first line is the receiver's clock in Unix
// seconds (the official vector's instant when it is not a number).

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "notification_keys.hpp"
#include "wechatpay/notify/answer.hpp"
#include "wechatpay/notify/parser.hpp"

namespace {

using namespace wechatpay;

// Parse() asks the clock for the time; the harness sets it per input. Fuzzing runs one input
// at a time on one thread.
std::chrono::system_clock::time_point g_now;

NotificationParser const& Parser() {
  static NotificationParser const parser = [] {
    auto cipher = AesGcmCipher::Create(fuzz::kApiV3Key);
    fuzz::Check(cipher.ok(), "the APIv3 key is accepted");
    NotificationParserOptions options;
    options.clock = [] { return g_now; };
    auto made = NotificationParser::Create(fuzz::MakeTestVerifier(), *cipher, options);
    fuzz::Check(made.ok(), "the parser is created");
    return *made;
  }();
  return parser;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto const message = fuzz::ParseHttpMessage(fuzz::AsText(data, size));
  g_now = fuzz::NowFromStartLine(message.start_line);
  auto const result = Parser().Parse(message.headers, message.body);
  if (result.ok()) {
    // Only an authentic notification, encrypted under the APIv3 key, gets here: the fuzzer
    // cannot forge one, so success is a hole in the checks.
    fuzz::Fail("an unsigned fuzzed notification was accepted");
  }
  auto const code = result.status().code();
  fuzz::Check(code == StatusCode::kVerificationFailed || code == StatusCode::kMalformedResponse ||
                  code == StatusCode::kDecryptionFailed,
              "a rejected notification fails verification, shape or decryption");
  // Answering must work for every outcome.
  auto const answer = AnswerFor(result.status());
  fuzz::Check(!answer.success(), "a rejected notification is not answered with success");
  return 0;
}
