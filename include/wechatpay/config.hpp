// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file config.hpp
/// Merchant configuration: the seven credentials, endpoints, timeouts and retries, loaded from
/// the JSON file and environment variables described in docs/cli.md, and the client options.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/status_or.hpp"

namespace wechatpay {

// Declared in wechatpay/http/transport.hpp. Only a pointer is held here, so the merchant
// configuration does not depend on the transport layer.
class HttpTransport;
// Declared in wechatpay/channel/platform_keys.hpp (the verification keys a client and its
// notification parser share).
class PlatformKeys;
// Declared in wechatpay/channel/request_event.hpp (the per-request event of on_request).
struct RequestEvent;

/// The production API base URL.
inline constexpr std::string_view kDefaultBaseUrl = "https://api.mch.weixin.qq.com";

/// The backup domain WeChat Pay publishes for the production API (docs/protocol.md, "The
/// backup domain"); set it as MerchantConfig::backup_base_url to opt in to failover.
inline constexpr std::string_view kBackupBaseUrl = "https://api2.wechatpay.cn";

/// How the CloudBase gateway backend reaches pay-common.
struct WECHATPAY_EXPORT GatewayConfig {
  /// CloudBase environment id.
  std::string env_id;
  /// Name of the HTTP cloud function (pay-common).
  std::string function_name;
  /// Access token sent as `Authorization: Bearer …`. Secret: never logged.
  std::string access_token;
  /// Overrides `https://{envId}.api.tcloudbasegateway.com` (sandbox, other regions).
  std::string url;
};

/// Which keys verify WeChat Pay's answers and callbacks (docs/direct-backend.md, "Platform
/// certificates").
enum class VerificationKeys {
  /// The WeChat Pay public key (wxPayPublicKey under wxPayPublicKeyId) only: merchants onboarded
  /// since WeChat introduced public keys, and those that finished the migration.
  kPublicKey,
  /// Platform certificates only, downloaded from `GET /v3/certificates` with the merchant's
  /// credentials and decrypted with the APIv3 key; no WeChat Pay public key is configured.
  kPlatformCertificates,
  /// Both, for the migration from certificates to the public key: WeChat signs some answers
  /// and callbacks with either.
  kBoth,
};

/// Timeouts of one API call.
struct WECHATPAY_EXPORT Timeouts {
  /// Time allowed to establish the connection (TCP + TLS).
  std::chrono::milliseconds connect{std::chrono::seconds(5)};
  /// Time allowed for the whole call: every attempt (connect, send, wait, receive) and every
  /// wait between retries. A retry is made only when at least a quarter of this (at most one
  /// second) is left after its backoff wait; each attempt is given what is left.
  std::chrono::milliseconds total{std::chrono::seconds(30)};
  /// Optional bound of one attempt within `total` (zero: none, an attempt may use all that is
  /// left). Useful to leave room for a retry after an attempt that hangs.
  std::chrono::milliseconds attempt{0};
};

/// Retries of calls that failed in a way that is safe to repeat: HTTP 5xx and 429 (WeChat's
/// operations are reentrant with identical parameters), connect failures, and timeouts of
/// GETs. A POST that timed out after being sent is never retried (its outcome is unknown).
struct WECHATPAY_EXPORT RetryOptions {
  /// Retries after the first attempt; 0 turns retrying off.
  int max_retries = 2;
  /// Delay before the first retry; doubled for each further retry, with ±25 % jitter.
  std::chrono::milliseconds initial_backoff{200};
  /// Upper bound of one delay.
  std::chrono::milliseconds max_backoff{std::chrono::seconds(5)};
};

/// A merchant's configuration. Key names are the configuration file's (appId, merchantId, ...;
/// docs/cli.md).
///
/// `private_key` and `wx_pay_public_key` hold PEM text or a path to a PEM file; they are read
/// and parsed once, when a client is created. Secrets (private key, APIv3 key, access token)
/// are never logged or put in error messages.
struct WECHATPAY_EXPORT MerchantConfig {
  /// AppID bound to the merchant, injected as `appid` into orders.
  std::string app_id;
  /// Merchant id (`mchid`), digits.
  std::string merchant_id;
  /// The 32-byte APIv3 key (AES-256-GCM key of notifications). Secret.
  std::string api_v3_key;
  /// Serial number of the merchant API certificate (hex), `serial_no` in Authorization.
  std::string merchant_serial_number;
  /// Merchant private key: PEM text or a path to apiclient_key.pem. Secret.
  std::string private_key;
  /// WeChat Pay public key (or a platform certificate): PEM text or a path.
  std::string wx_pay_public_key;
  /// Id of that key, `PUB_KEY_ID_…` (the value WeChat sends as Wechatpay-Serial).
  std::string wx_pay_public_key_id;
  /// Notification URL injected as `notify_url`.
  std::string notify_url;
  /// Accept a plain-http notify URL (notifyUrl and a request's own notify_url) for any host.
  /// Only for merchants on a dedicated line: WeChat allows http to the line's NAT IP or to a
  /// private callback domain, and requires https from everyone else. Off by default (https, and
  /// http only for a loopback host). JSON key `allowHttpNotifyUrl`, environment variable
  /// `WECHATPAY_ALLOW_HTTP_NOTIFY_URL` (true/false/1/0).
  bool allow_http_notify_url = false;
  /// API base URL; plain http is accepted only for loopback hosts.
  std::string base_url = std::string(kDefaultBaseUrl);
  /// The backup domain to fail over to (docs/direct-backend.md, "Failover to the backup
  /// domain"), e.g. kBackupBaseUrl; empty (the default): no failover. When an attempt fails in
  /// a way the retry table allows to move, the call's next retry goes there at once, same path,
  /// query and body, signed again: a read after no connection, no answer or a 5xx; a write only
  /// when no attempt of it can have reached WeChat (DNS, connect, TLS failed), never when its
  /// outcome is unknown. Uses one of RetryOptions::max_retries. Checked like base_url, with the
  /// same path. Direct backend only (the gateway ignores it). JSON key `backupBaseUrl`,
  /// environment variable `WECHATPAY_BACKUP_BASE_URL`.
  std::string backup_base_url;
  /// Extra CA bundle (PEM file) for TLS, e.g. the sandbox's CA. Checked (a readable regular
  /// file) when a client builds its curl transport on it.
  std::string ca_file;
  /// Timeouts.
  Timeouts timeouts;
  /// Which keys verify answers and callbacks (configuration key keyMode: "public-key", the
  /// default, "platform-certificate" or "both").
  VerificationKeys verification_keys = VerificationKeys::kPublicKey;
  /// Optional platform certificates to start from: a PEM file (one or more certificates) or a
  /// folder whose `*.pem` files are read. Only in the platform-certificate and both modes.
  std::string platform_certificates;
  /// Optional CA certificates (PEM file or text) every downloaded platform certificate must
  /// chain to; without it the APIv3 key's AES-GCM tag is what authenticates a download.
  std::string platform_certificate_ca;
  /// How often platform certificates are downloaded again (default 12 hours; 60 s to 7 days).
  std::chrono::seconds certificate_refresh{std::chrono::hours(12)};
  /// When present, API calls go through the CloudBase gateway to pay-common.
  std::optional<GatewayConfig> gateway;
  /// Where the payment ledger lives (docs/ledger.md), as OpenLedgerStore() takes it: a SQLite
  /// file (`sqlite:PATH`, or a PATH ending in `.db`, `.sqlite`, `.sqlite3`) or a
  /// `postgresql://…` URL. Empty: none configured. JSON key `ledger`, environment variable
  /// `WECHATPAY_LEDGER`; a relative SQLite path in a file is resolved against the file's
  /// folder. Only read here (the core library does not open it); may hold a database
  /// password, so it is treated as a secret: never logged or quoted.
  std::string ledger;
  /// The HTTP(S) proxy every call to WeChat Pay (or the gateway) goes through, as a URL:
  /// `http://[user:password@]host:port` (also `https://`, `socks5://`, `socks5h://`). Empty: no
  /// proxy. Loopback hosts are never proxied. JSON key `proxy`, environment variable
  /// `WECHATPAY_PROXY`, CLI `--proxy`. May hold a password, so it is treated as a secret: never
  /// logged or quoted (docs/security.md).
  std::string proxy;
  /// Use the standard `https_proxy` / `HTTPS_PROXY` and `no_proxy` / `NO_PROXY` environment
  /// variables when `proxy` is empty. Off by default: where payment traffic goes is decided by
  /// the configuration, not by whatever a process happens to inherit. JSON key
  /// `proxyFromEnvironment`, environment variable `WECHATPAY_PROXY_FROM_ENVIRONMENT`.
  bool proxy_from_environment = false;
};

/// Reads a configuration file (a JSON object with the keys listed in README.md, at most 1 MiB).
/// Relative paths inside it (privateKey, wxPayPublicKey, caFile, platformCertificates,
/// platformCertificateCa) are resolved against the
/// file's folder. Unknown keys are errors, so a typo does not silently drop a setting.
/// Errors: kConfiguration naming the file and the key. A path that is missing, a directory, a
/// FIFO or device, unreadable or larger than 1 MiB is such an error too, never an exception.
/// Messages never quote a setting's value.
WECHATPAY_EXPORT StatusOr<MerchantConfig> LoadMerchantConfigFile(std::string const& path);

/// Applies the WECHATPAY_* environment variables of docs/cli.md on top of `config` (environment
/// wins). Relative paths in them are relative to the working directory.
/// Errors: kConfiguration for an unparsable value (e.g. a non-numeric timeout).
WECHATPAY_EXPORT Status ApplyEnvironment(MerchantConfig& config);

/// LoadMerchantConfigFile(path) when a path is given (an empty config otherwise), then
/// ApplyEnvironment().
WECHATPAY_EXPORT StatusOr<MerchantConfig> LoadMerchantConfig(
    std::optional<std::string> const& path);

/// Severity of a log line.
enum class LogLevel {
  /// Request lines, statuses, retries.
  kDebug,
  /// Unusual but handled conditions.
  kInfo,
  /// Failures.
  kWarning,
};

/// Receives log lines. Lines never contain a secret (no key, no Authorization, no token).
/// Called on the thread making the API call — for an asynchronous call (docs/async.md), the
/// client's I/O thread or the thread that cancels it: it is called concurrently, so it must be
/// thread-safe, and it must not block.
using LogSink = std::function<void(LogLevel, std::string_view)>;

/// How a client is built and behaves, beyond the merchant's configuration.
struct WECHATPAY_EXPORT ClientOptions {
  /// The transport; null means MakeCurlTransport() with the configuration's caFile and
  /// timeouts. One transport may be shared by several clients.
  std::shared_ptr<HttpTransport> transport;
  /// Retry policy.
  RetryOptions retry;
  /// The clock used for request timestamps, the response skew check and "today" in the
  /// bill_date rule (NativePayClient::TradeBill()); null means
  /// std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock;
  /// "Today" in the bill_date rule only, when it must differ from `clock`: a client of a
  /// sandbox whose bill clock was moved on (docs/sandbox.md, "The sandbox clock") applies for
  /// the bills of the sandbox's yesterday while it signs and checks timestamps on the wall
  /// clock. Null means `clock`.
  std::function<std::chrono::system_clock::time_point()> calendar_clock;
  /// Log sink; null means no logging.
  LogSink logger;
  /// Waits between retries of a blocking call; null means std::this_thread::sleep_for. Tests
  /// replace it. Asynchronous calls wait on the transport's timers instead.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The verification keys (and platform certificate downloads) to use; null means the direct
  /// channel builds its own from the MerchantConfig. Share one PlatformKeys between clients of
  /// the same merchant so that they download certificates once.
  std::shared_ptr<PlatformKeys> platform_keys;
  /// Per-request event hook (wechatpay/channel/request_event.hpp, docs/observability.md): one
  /// RequestEvent per attempt of every call, through either channel, the last one flagged
  /// `final` with the call's outcome and latency, so calls, attempts, retries and latencies
  /// are counted without double counting. Called synchronously on the thread making the call —
  /// for an asynchronous call, the client's I/O thread or the thread that cancels it — so it
  /// must be thread-safe and must not block; an exception it throws is caught and ignored: it
  /// cannot break a call. Events never hold a secret. Null: no events.
  std::function<void(RequestEvent const&)> on_request;
};

}  // namespace wechatpay
