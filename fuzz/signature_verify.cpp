// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: response verification, SignatureVerifier::Verify() with the header reading of
// SignatureHeaders::From(), as every API answer goes through it.
//
// Input: an HTTP message (fuzz_support.hpp) whose first line is the client's clock in Unix
// seconds (the official vector's instant when it is not a number). The seed built from the
// official vector verifies, so mutations start from a valid signature.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "notification_keys.hpp"
#include "wechatpay/protocol/signing.hpp"

namespace {

using namespace wechatpay;

SignatureVerifier const& Verifier() {
  static SignatureVerifier const verifier = fuzz::MakeTestVerifier();
  return verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto const message = fuzz::ParseHttpMessage(fuzz::AsText(data, size));
  auto const headers = SignatureHeaders::From(message.headers);
  auto const status =
      Verifier().Verify(headers, message.body, fuzz::NowFromStartLine(message.start_line));
  if (status.ok()) {
    fuzz::Check(Verifier().HasKey(headers.serial), "a verified answer names a known key");
    fuzz::Check(std::string_view(headers.signature).substr(0, 19) != "WECHATPAY/SIGNTEST/",
                "a SIGNTEST probe never verifies");
  } else {
    fuzz::Check(status.code() == StatusCode::kVerificationFailed,
                "verification fails only as kVerificationFailed");
    fuzz::Check(status.message().size() < 4096, "a verification error message stays short");
  }
  return 0;
}
