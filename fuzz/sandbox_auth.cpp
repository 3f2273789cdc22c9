// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: the sandbox's request authentication (request_auth.cpp), which plays WeChat's
// part against the SDK: the Authorization header parser and the whole check (Accept and
// User-Agent, mchid, serial, timestamp window, RSA signature over the exact target and body).
//
// Input: an HTTP request (fuzz_support.hpp), `METHOD TARGET` on the first line. The check runs
// twice: at the request's own timestamp (so a captured, validly signed request reaches the
// signature), and at a fixed instant (so the window check is exercised both ways).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_support.hpp"
#include "sandbox_request.hpp"
#include "v3/request_auth.hpp"
#include "wechatpay/protocol/keys.hpp"

namespace {

using namespace wechatpay;
using sandbox::internal::RequestAuthenticator;

RequestAuthenticator const& Authenticator() {
  static RequestAuthenticator const authenticator = [] {
    auto key = PublicKey::FromPem(fuzz::ReadTestData(fuzz::kSandboxMerchantPublicKey));
    fuzz::Check(key.ok(), "the merchant public key loads");
    return RequestAuthenticator(fuzz::kSandboxMerchantId, fuzz::kSandboxMerchantSerial, *key);
  }();
  return authenticator;
}

bool AllDigits(std::string const& s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto const request = fuzz::ToInbound(fuzz::ParseHttpMessage(fuzz::AsText(data, size)));
  std::string const authorization(request.headers.Get("Authorization"));

  auto fields = sandbox::internal::ParseAuthorization(authorization);
  if (fields) {
    fuzz::Check(!fields->mchid.empty() && !fields->nonce_str.empty() &&
                    !fields->timestamp.empty() && !fields->serial_no.empty() &&
                    !fields->signature.empty(),
                "a parsed Authorization has all five fields");
  }
  std::int64_t const now = fields && AllDigits(fields->timestamp)
                               ? std::strtoll(fields->timestamp.c_str(), nullptr, 10)
                               : 1700000000;
  for (std::int64_t at : {now, std::int64_t{1700000000}}) {
    auto answer = Authenticator().Check(request, at);
    if (!answer) {
      // Accepted: only possible with the merchant's real signature over this very request.
      fuzz::Check(fields && fields->mchid == fuzz::kSandboxMerchantId,
                  "an accepted request names the merchant");
    } else {
      fuzz::Check(answer->status == 400 || answer->status == 401,
                  "a refused request is answered 400 or 401");
    }
  }
  return 0;
}
