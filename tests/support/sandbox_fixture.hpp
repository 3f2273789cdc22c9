// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The sandbox in-process for integration tests: HTTPS on an ephemeral loopback port, tiny time
// scale, and raw HTTP helpers for what the SDK would never send.
//
// Generating the identity (two RSA-2048 keys and a CA) is the slow part of starting a sandbox,
// so it happens once per test process: every fixture copies that identity into its own state
// folder and starts with no orders and fresh counters.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/test_data.hpp"
#include "wechatpay/sandbox/sandbox.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay::testing {

/// A started sandbox with the shared test identity.
class SandboxFixture {
 public:
  /// Starts a sandbox (HTTPS unless `plain_http`), with its options changed by `adjust` when
  /// given; throws std::runtime_error when it cannot.
  explicit SandboxFixture(double time_scale = 0.001, bool plain_http = false,
                          std::function<void(sandbox::Sandbox::Options&)> const& adjust = {});
  ~SandboxFixture();

  sandbox::Sandbox& sandbox() const { return *sandbox_; }
  sandbox::Identity const& identity() const { return sandbox_->identity(); }
  std::string BaseUrl() const { return sandbox_->BaseUrl(); }

  /// The direct-backend configuration (no gateway).
  MerchantConfig Config() const { return sandbox_->ClientConfig(); }

  /// A client for Config(); retries wait no time so that retry tests stay fast.
  NativePayClient Client(ClientOptions options = {}) const;

  /// Places a Native order of `total` fen through the SDK and returns its code_url.
  std::string Order(NativePayClient const& client, std::string const& out_trade_no,
                    std::int64_t total = 3) const;

 private:
  TempDir dir_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
};

/// An HTTP answer received with libcurl.
struct RawResponse {
  /// 0 when no answer arrived (see error).
  int status = 0;
  HttpHeaders headers;
  std::string body;
  std::string error;
};

/// Sends exactly the given request with libcurl (TLS verified against `ca_file`). `headers` are
/// "Name: value" lines; "Name:" removes a header libcurl adds by itself (e.g. "Accept:"). No
/// User-Agent is sent unless given.
RawResponse RawRequest(std::string const& method, std::string const& url,
                       std::vector<std::string> const& headers, std::string const& body,
                       std::string const& ca_file);

/// A signed request to the sandbox's v3 API with the identity's merchant key: the Authorization
/// value for METHOD, TARGET (path and query) and BODY at `timestamp` (default: now).
std::string SandboxAuthorization(sandbox::Identity const& identity, std::string const& method,
                                 std::string const& target, std::string const& body,
                                 std::int64_t timestamp = 0);

/// Sends a correctly signed v3 request (Accept, User-Agent, Content-Type set).
RawResponse SignedRequest(SandboxFixture const& fixture, std::string const& method,
                          std::string const& target, std::string const& body = {});

/// Polls `condition` until it holds or `timeout` passes; returns its last value. For waiting on
/// asynchronous work (callbacks, refund completion), never for asserting on durations.
bool Eventually(std::function<bool()> const& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The Unix time now.
std::int64_t NowSeconds();

/// POSTs `{}` to the control API of a sandbox running in another process
/// (`sandbox_url` + "/sandbox/v1/" + `path`), over its TLS trusting `ca_file`, as the payer's
/// phone would; the HTTP status, or -1 when no answer came.
int PostSandboxControl(std::string const& sandbox_url, std::string const& ca_file,
                       std::string const& path);

}  // namespace wechatpay::testing
