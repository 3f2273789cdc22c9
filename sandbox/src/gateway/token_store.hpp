// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// CloudBase access tokens issued by the control API and checked by the gateway emulation.
// Tokens are JWT-shaped (header.payload.signature, base64url) like CloudBase's, and saved in
// the state folder so a written client configuration survives a restart of the sandbox.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "wechatpay/sandbox/sandbox.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::sandbox::internal {

/// The issued tokens.
///
/// @par Thread Safety
/// Every member function is safe from many threads.
class TokenStore {
 public:
  /// What the gateway makes of a presented token.
  enum class Verdict { kValid, kUnknown, kExpired, kAnonymous };

  /// `state_file` empty: memory only.
  explicit TokenStore(std::string state_file) : state_file_(std::move(state_file)) {}

  /// Reads the saved tokens. Errors: kConfiguration (not JSON).
  Status Load();
  /// Issues a token.
  std::string Create(TokenOptions const& options);
  /// Checks a presented token at the current time.
  Verdict Check(std::string_view token) const;

 private:
  struct Entry {
    bool anonymous = false;
    std::int64_t expires_ms = 0;
  };
  void SaveLocked() const;

  std::string const state_file_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> tokens_;
};

}  // namespace wechatpay::sandbox::internal
