// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file sandbox.hpp
/// The sandbox: a local WeChat Pay API v3 + CloudBase gateway emulator on loopback, over real
/// sockets and real TLS (docs/sandbox.md). Tests and the `demo` command embed it; the
/// `wechatpay sandbox` command runs it on its own.
///
///   wechatpay::sandbox::Sandbox::Options options;
///   options.time_scale = 0.001;                 // 15 s of WeChat time = 15 ms
///   wechatpay::sandbox::Sandbox sandbox(options);
///   if (auto s = sandbox.Start(); !s.ok()) ...  // generates (or reloads) the identity
///   auto client = wechatpay::NativePayClient::Create(sandbox.ClientConfig()).value();
///   client.NativePrepay(order);                 // signed, verified, over HTTPS
///   sandbox.Pay(order.out_trade_no);            // the payer "scans and pays"; callback goes out
///
/// Durations: `time_scale` multiplies every WeChat-side duration (callback retry schedule,
/// code_url validity, refund processing). Clocks that a client compares with its own
/// (Wechatpay-Timestamp, the 5-minute request window, RFC 3339 times) are never scaled.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechatpay/config.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::sandbox {

/// The merchant identity of a sandbox: generated on first start, reloaded from the state folder
/// afterwards. Everything a client needs, as values and as the PEM files the sandbox wrote.
struct Identity {
  /// AppID bound to the merchant ("wx" + 16 hex digits).
  std::string app_id;
  /// The service-account AppID pay-common uses for `useServiceAccount: true`.
  std::string service_app_id;
  /// 10-digit merchant id (`mchid`).
  std::string merchant_id;
  /// The 32-character APIv3 key. Secret.
  std::string api_v3_key;
  /// Serial number of the merchant API certificate (40 upper-case hex digits).
  std::string merchant_serial_number;
  /// The merchant's RSA-2048 private key (`apiclient_key.pem`, PKCS#8). Secret.
  std::string merchant_private_key_file;
  /// The merchant's public key, which the sandbox verifies requests with.
  std::string merchant_public_key_file;
  /// The WeChat Pay public key id (`PUB_KEY_ID_…`), sent as Wechatpay-Serial.
  std::string wechatpay_public_key_id;
  /// The WeChat Pay public key (PEM), which clients verify answers and callbacks with.
  std::string wechatpay_public_key_file;
  /// The WeChat Pay private key the sandbox signs with (tests may forge with it). Secret.
  std::string wechatpay_private_key_file;
  /// The sandbox CA certificate (PEM) that signed the loopback server certificate and the
  /// platform certificates; empty with plain HTTP in the public-key mode. Trust it as
  /// MerchantConfig::ca_file.
  std::string ca_file;
  /// The CloudBase environment id the gateway emulation answers for.
  std::string env_id;
  /// The pay-common function name (`/v1/functions/{function_name}`).
  std::string function_name;
  /// The folder holding the identity, keys, certificates and state.
  std::string state_dir;
};

/// Which keys "WeChat Pay" signs answers and callbacks with (docs/sandbox.md, "Key modes").
enum class KeyMode {
  /// The WeChat Pay public key only, named by its `PUB_KEY_ID_…` (merchants onboarded since
  /// public keys exist). `GET /v3/certificates` answers 404 NOT_FOUND.
  kPublicKey,
  /// Platform certificates only (merchants onboarded before public keys): every 2xx answer and
  /// callback is signed with the active certificate's key, named by its serial, and
  /// `GET /v3/certificates` serves the certificates not yet expired.
  kCertificate,
  /// A switch from certificates to the public key in progress: an answer to a request whose
  /// Wechatpay-Serial names the public key id is signed with the public key; other answers and
  /// callbacks with the active certificate for `certificate_share` of them, else the public key.
  kBoth,
};

/// "public-key", "certificate" or "both".
std::string_view KeyModeName(KeyMode mode);

/// The mode named `name` ("public-key", "certificate" or "both"). Errors: kInvalidArgument.
StatusOr<KeyMode> ParseKeyMode(std::string_view name);

/// A platform certificate as `GET /sandbox/v1/certificates` shows it.
struct PlatformCertificate {
  /// Serial number: 40 upper-case hex digits, as WeChat's `serial_no`.
  std::string serial_no;
  /// Validity, RFC 3339 in China Standard Time ("2026-11-26T10:00:00+08:00").
  std::string effective_time;
  /// End of validity, RFC 3339 in China Standard Time.
  std::string expire_time;
  /// The certificate (PEM), issued by the sandbox CA (Identity::ca_file).
  std::string certificate_pem;
  /// True for the certificate that signs from now on (the newest).
  bool active = false;
  /// True once expire_time has passed: no longer served by `GET /v3/certificates`.
  bool expired = false;
};

/// A rotation of the platform certificate (`POST /sandbox/v1/certificates/rotate`).
struct RotateOptions {
  /// When set, every certificate issued before this rotation expires this many seconds from
  /// now (issued again with that validity), unless it already expires sooner; so that tests
  /// can watch an old certificate leave `GET /v3/certificates`. At least 1.
  std::optional<std::int64_t> expire_old_in_seconds;
};

/// A CloudBase access token request (`POST /sandbox/v1/tokens`).
struct TokenOptions {
  /// An anonymous login's token: the gateway emulation refuses it for pay-common.
  bool anonymous = false;
  /// Lifetime. Not scaled by time_scale (it is CloudBase's, not WeChat's); zero gives a token
  /// that is already expired, to exercise ACCESS_TOKEN_EXPIRED.
  std::chrono::seconds ttl{7200};
};

/// How the simulated payer pays (`POST /sandbox/v1/orders/{out_trade_no}/pay`).
struct PayOptions {
  /// The payer's openid; empty for a generated one.
  std::string openid;
  /// The payer's bank type.
  std::string bank_type = "OTHERS";
};

/// A fault injected into the next `count` requests whose method and path match
/// (`POST /sandbox/v1/faults`). Control API paths (`/sandbox/…`) are never faulted.
struct Fault {
  /// HTTP method to match ("GET", "POST", …); empty or "*" matches any.
  std::string method;
  /// ECMAScript regular expression searched in the request path; empty matches any. At most
  /// 256 bytes, without back-references (matched in polynomial time: a pattern cannot stall
  /// the requests it is tried on); a request path longer than 256 bytes is matched by an empty
  /// pattern only. At most 100 faults are pending at once.
  std::string path;
  /// One of `status:CODE` (answer CODE with a WeChat error body, without processing),
  /// `delay:MS` (wait MS real milliseconds, then answer normally), `drop` (process, then close
  /// the connection without answering), `bad-signature`, `signtest` (a `WECHATPAY/SIGNTEST/`
  /// signature), `no-signature`, `stale-timestamp` (validly signed 10 minutes in the past),
  /// `wrong-serial`, `truncate` (Content-Length larger than the body sent, then close),
  /// `endless-body` (process, then a chunked answer whose body is the real one followed by
  /// spaces that never end: until the client hangs up, at most 1 GiB, and without the last
  /// chunk), `huge-header` (process, then answer with one extra 200 KB header line),
  /// `corrupt-bill` (on a bill application or a bill download: one byte of the bill file served
  /// changes after its digest was computed, so a client's digest check must fail).
  std::string action;
  /// How many matching requests get the fault; at least 1.
  int count = 1;
};

/// Counters since the sandbox started (or since ResetStats()).
struct Stats {
  /// HTTP requests received, control API included.
  std::size_t requests = 0;
  /// TCP connections accepted.
  std::size_t tcp_connections = 0;
  /// TLS handshakes completed (0 with plain HTTP).
  std::size_t tls_handshakes = 0;
  /// Answers by HTTP status.
  std::map<int, std::size_t> responses;
  /// Faults applied.
  std::size_t faults_applied = 0;
  /// Callback (notification) deliveries attempted.
  std::size_t callbacks_sent = 0;
  /// Callback answers by HTTP status; 0 counts deliveries that got no answer (connection
  /// failure or no answer within 5 s of WeChat time).
  std::map<int, std::size_t> callback_answers;
  /// `GET /v3/certificates` requests received, whatever their answer (faulted ones included).
  std::size_t certificate_downloads = 0;
  /// `GET /v3/billdownload/file` requests received, whatever their answer (faulted ones
  /// included).
  std::size_t bill_downloads = 0;
};

/// The emulator. One instance serves the WeChat Pay API v3 paths (`/v3/…`), the CloudBase
/// gateway (`/v1/functions/{name}?webfn=true`) and the control API (`/sandbox/v1/…`) on one
/// loopback port.
///
/// @par Thread Safety
/// Start(), Stop() and the destructor belong to the owner; every other member function may be
/// called from any thread once Start() succeeded (and until Stop()).
class Sandbox {
 public:
  /// How the sandbox runs.
  struct Options {
    /// Listen address; must be a loopback address ("127.0.0.1", "localhost" or "::1").
    std::string host = "127.0.0.1";
    /// Listen port; 0 picks an ephemeral one (see port()). With a state_dir, 0 first tries the
    /// port the folder recorded at the last start (see previous_port()), so that a restarted
    /// sandbox keeps its URL; an ephemeral one when that port is taken.
    int port = 0;
    /// Serve plain HTTP instead of HTTPS.
    bool plain_http = false;
    /// Folder for the identity, keys, certificates, orders and tokens (JSON and PEM files),
    /// created if missing and reloaded on the next start. Empty: a temporary folder, removed
    /// when the sandbox is destroyed (the state is then not kept).
    std::string state_dir;
    /// Multiplies every WeChat-side duration (> 0): 0.001 makes 15 s last 15 ms.
    double time_scale = 1.0;
    /// How long an idle keep-alive connection stays open (whole seconds, at least 1). Short,
    /// because stopping waits for idle connections; long enough that a client polling every
    /// few seconds keeps its connection.
    std::chrono::seconds keep_alive_timeout{5};
    /// Requests served on one connection before the sandbox closes it (at least 1), so that a
    /// client that never pauses gives its thread to the connections waiting for one.
    std::size_t keep_alive_max_requests = 1000;
    /// Connections served at once (at least 2). Each open connection, idle keep-alive ones
    /// included, occupies a thread, started when a connection arrives and none is idle; more
    /// connections wait for one to end. A request that pauses for more than 2 s is dropped, a
    /// request body over 1 MiB is answered 413 without being kept, and one without a
    /// Content-Length (chunked) 411.
    std::size_t worker_threads = 128;
    /// Which keys sign answers and callbacks. Unset: the mode saved in the state folder, else
    /// KeyMode::kPublicKey. A set mode is saved in the state folder for the next start.
    std::optional<KeyMode> key_mode;
    /// In KeyMode::kBoth, the share (0 to 1) of answers and callbacks signed with the platform
    /// certificate (answers to requests naming the public key id excepted). Unset: the share
    /// saved in the state folder, else 0.5. Saved like key_mode; SetCertificateShare() changes it.
    std::optional<double> certificate_share;
    /// The hour of the day (Beijing time, 0–23) from which the bills of the day before exist:
    /// earlier, applying for them answers 400 STATEMENT_CREATING. WeChat's bills are generated
    /// from about 9:00 and documented as available from 10:00. Measured on the sandbox clock
    /// (AdvanceClock()).
    int bill_ready_hour = 10;
    /// How long a bill download URL stays valid, on the sandbox clock (at least 1 s); later, or
    /// for a token it never issued, the download answers 400 INVALID_REQUEST. WeChat documents
    /// 30 s. Not multiplied by time_scale: it is moved on with AdvanceClock().
    std::chrono::seconds bill_url_lifetime{30};
    /// When set, called once per request, from the thread that served it, with one line:
    /// `METHOD PATH STATUS`, every query value masked as `***` (a bill download token is a
    /// secret), followed for a refused request (4xx or 5xx) by why: which check of the request
    /// signature failed (missing header, malformed Authorization, unknown serial, stale
    /// timestamp, bad signature), the field that failed validation, or the error code. Never a
    /// header value, a signature or a body.
    std::function<void(std::string const& line)> request_log;
  };

  /// A sandbox with default options (HTTPS on an ephemeral port, temporary state).
  Sandbox();
  /// A sandbox with `options`; nothing happens until Start().
  explicit Sandbox(Options options);
  /// Stops the sandbox and removes a temporary state folder.
  ~Sandbox();
  Sandbox(Sandbox const&) = delete;
  Sandbox& operator=(Sandbox const&) = delete;

  /// Loads or generates the identity (and the TLS CA and certificate), loads the saved orders
  /// and tokens, and starts serving; returns once connections are accepted. A sandbox starts
  /// once. Errors: kInvalidArgument (options), kConfiguration (state folder unusable),
  /// kTransport (cannot listen), kInternal (key or certificate generation failed).
  Status Start();

  /// Stops serving, drops pending callback retries and saves the state. Idempotent.
  void Stop();

  /// True between a successful Start() and Stop().
  bool running() const;

  /// The bound port (0 before Start()).
  int port() const;

  /// The port the state folder recorded when the sandbox last started with it (valid after
  /// Start()); nullopt without a state_dir or on the first start. Differs from port() when that
  /// port was taken (or Options::port asked for another).
  std::optional<int> previous_port() const;

  /// "https://127.0.0.1:PORT" ("http://…" with plain_http), without a trailing slash.
  std::string BaseUrl() const;

  /// The sandbox's own notification receiver, `BaseUrl()/sandbox/v1/notify-sink`: it records
  /// what it receives and answers 204, so a configuration works offline. The pay-common
  /// emulation injects it as the payment notify URL, and RefundNotifyUrl() as the refund one.
  std::string NotifyUrl() const;

  /// `BaseUrl()/sandbox/v1/notify-sink/refunds`: the same receiver under the path pay-common's
  /// refund notify URL (its `notifyURLRefundsURL`) points at, injected into refunds that name
  /// none. The direct API has no such default: a refund without notify_url gets no callback.
  std::string RefundNotifyUrl() const;

  /// The identity (valid after Start()).
  Identity const& identity() const;

  /// The options in effect.
  Options const& options() const;

  /// A configuration for the direct API v3 backend: every credential of the identity,
  /// baseUrl, caFile (HTTPS) and notifyUrl = NotifyUrl(); no gateway. The verification keys
  /// follow key_mode(): KeyMode::kPublicKey gives the public key (VerificationKeys::kPublicKey);
  /// KeyMode::kCertificate VerificationKeys::kPlatformCertificates with wx_pay_public_key and
  /// wx_pay_public_key_id left empty (such a merchant has platform certificates, downloaded from
  /// `/v3/certificates`, and no public key); KeyMode::kBoth VerificationKeys::kBoth with the
  /// public key. In both certificate modes over HTTPS, platform_certificate_ca is the sandbox
  /// CA, which issues the platform certificates.
  MerchantConfig ClientConfig() const;

  /// ClientConfig() plus a gateway object {envId, functionName, a fresh token, url = BaseUrl()}.
  StatusOr<MerchantConfig> GatewayClientConfig(TokenOptions const& token = {});

  /// Writes ClientConfig() as the configuration file of docs/cli.md (absolute key paths, caFile
  /// when HTTPS, keyMode and platformCertificateCa outside public-key mode; no gateway object)
  /// with owner-only permissions: a direct API v3 configuration that works as is.
  /// Errors: kConfiguration when the file cannot be written.
  Status WriteClientConfig(std::string const& path);

  /// Writes GatewayClientConfig(token) the same way: the direct configuration plus a gateway
  /// object with a fresh token of `token.ttl`. The token expires: `wechatpay sandbox
  /// --write-gateway-config` writes the file again before it does (docs/sandbox.md).
  /// Errors: those of CreateToken(); kConfiguration when the file cannot be written.
  Status WriteGatewayClientConfig(std::string const& path, TokenOptions const& token = {});

  /// With a state_dir, WriteClientConfig() and WriteGatewayClientConfig() record the files they
  /// write (and the token lifetime) in the folder. This writes each recorded file again for
  /// the current BaseUrl() (a gateway one with a fresh token), for a restart whose port
  /// changed; files whose folder is gone are dropped from the record. Returns the files
  /// written and, for each that could not be, its error.
  struct RewriteResult {
    /// The files written again.
    std::vector<std::string> written;
    /// The files that could not be, and why.
    std::vector<std::pair<std::string, Status>> failed;
  };
  /// Writes every configuration file written for this state folder (WriteClientConfig(),
  /// WriteGatewayClientConfig(), in this run or an earlier one) again with the current base
  /// URL: what a start on another port than the folder's last one does by itself.
  RewriteResult RewriteWrittenConfigs();

  /// Issues a CloudBase access token (`POST /sandbox/v1/tokens`).
  StatusOr<std::string> CreateToken(TokenOptions const& options = {});

  /// The payer scans the QR code and is asked for the password
  /// (`POST /sandbox/v1/orders/{no}/scan`): NOTPAY → USERPAYING. A query then answers
  /// `{"trade_state":"USERPAYING"}` and a close 202 USER_PAYING; Pay() or Fail() ends it.
  /// Returns the transaction JSON. Errors: kInvalidArgument (unknown order, not NOTPAY, or its
  /// code_url / time_expire has passed).
  StatusOr<std::string> Scan(std::string const& out_trade_no);

  /// The payer pays the order (`POST /sandbox/v1/orders/{no}/pay`): NOTPAY or USERPAYING →
  /// SUCCESS, with a transaction_id, success_time and payer; the TRANSACTION.SUCCESS callback
  /// goes out. Returns the transaction JSON. Errors: kInvalidArgument (unknown order, not
  /// payable: paid, closed, failed, or a NOTPAY order whose code_url / time_expire has passed).
  StatusOr<std::string> Pay(std::string const& out_trade_no, PayOptions const& options = {});

  /// The payment fails (`POST /sandbox/v1/orders/{no}/fail`): NOTPAY or USERPAYING → PAYERROR,
  /// which is final (no callback: WeChat notifies successful payments only). Returns the
  /// transaction JSON. Errors: kInvalidArgument (unknown order, not NOTPAY or USERPAYING).
  StatusOr<std::string> Fail(std::string const& out_trade_no);

  /// The most orders one SeedPaidOrders() call adds.
  static constexpr std::int64_t kMaxSeededOrders = 10'000'000;
  /// A test and benchmark facility (docs/sandbox.md, "Seeded orders"): adds `count` orders paid
  /// during the Beijing day `bill_date` ("yyyy-MM-dd") straight into the order book, without
  /// prepay, payment requests or callbacks, so that a day's bill can hold a million rows
  /// without a million API calls. Errors: kInvalidArgument (not a date, count outside 1 to
  /// kMaxSeededOrders, the day seeded already); kInternal when the sandbox is not running.
  Status SeedPaidOrders(std::string const& bill_date, std::int64_t count);

  /// The refund fails, e.g. the payer's card was cancelled
  /// (`POST /sandbox/v1/refunds/{out_refund_no}/abnormal`): PROCESSING → ABNORMAL, and
  /// REFUND.ABNORMAL goes to the refund's notify_url (none without one). Returns the refund JSON.
  /// Errors: kInvalidArgument (unknown refund, not PROCESSING).
  StatusOr<std::string> RefundAbnormal(std::string const& out_refund_no);

  /// The refund is closed (`POST /sandbox/v1/refunds/{out_refund_no}/close`): PROCESSING →
  /// CLOSED, its amount refundable again, and REFUND.CLOSED goes to the refund's notify_url
  /// (none without one). Returns the refund JSON. Errors: kInvalidArgument (unknown refund,
  /// not PROCESSING).
  StatusOr<std::string> RefundClose(std::string const& out_refund_no);

  /// The merchant's balance is short for the next `count` new refunds
  /// (`POST /sandbox/v1/refunds/not-enough`, body `{"count":N}`): each is refused with 403
  /// NOT_ENOUGH and nothing is created, so the same out_refund_no succeeds once the refusals
  /// are used up. A repeated out_refund_no of an existing refund is answered as usual.
  /// Errors: kInvalidArgument (count < 1).
  Status RefuseNextRefunds(int count = 1);

  /// The sandbox's view of an order (`GET /sandbox/v1/orders/{no}`): state, transaction,
  /// code_url, refunds and every callback delivery with its answer, as JSON.
  /// Errors: kInvalidArgument (unknown order).
  StatusOr<std::string> OrderView(std::string const& out_trade_no) const;

  /// Adds a fault (`POST /sandbox/v1/faults`). Errors: kInvalidArgument (unknown action, bad
  /// regular expression, count < 1).
  Status AddFault(Fault const& fault);

  /// Moves the sandbox clock forward by `by` (`POST /sandbox/v1/clock/advance`, body
  /// `{"seconds":N}`) and returns its new time, RFC 3339 in China Standard Time. The sandbox
  /// clock is the wall clock plus every advance so far; it decides what the bills see (which
  /// Beijing day is today, whether a day's bill is ready, when a download URL expires) and
  /// nothing else: signatures, success_time and every other time a client compares with its
  /// own clock stay on the wall clock. Errors: kInvalidArgument (`by` negative).
  StatusOr<std::string> AdvanceClock(std::chrono::seconds by);

  /// Removes every pending fault (`DELETE /sandbox/v1/faults`).
  void ClearFaults();

  /// The counters (`GET /sandbox/v1/stats`).
  Stats GetStats() const;

  /// Sets every counter to zero (`DELETE /sandbox/v1/stats`).
  void ResetStats();

  /// The bodies the notify sink received, oldest first (`GET /sandbox/v1/notify-sink`).
  std::vector<std::string> NotifySinkBodies() const;

  /// The key mode in effect (Options::key_mode, or the one saved in the state folder).
  KeyMode key_mode() const;

  /// The platform certificates, oldest first, expired ones included
  /// (`GET /sandbox/v1/certificates`); empty in KeyMode::kPublicKey.
  std::vector<PlatformCertificate> PlatformCertificates() const;

  /// Issues a new platform certificate (RSA-2048, five years, by the sandbox CA) that signs
  /// from now on; the previous ones stay served until they expire
  /// (`POST /sandbox/v1/certificates/rotate`). Returns the new serial. Errors:
  /// kInvalidArgument (KeyMode::kPublicKey, or expire_old_in_seconds < 1),
  /// kInternal (generation), kConfiguration (state folder).
  StatusOr<std::string> RotateCertificate(RotateOptions const& options = {});

  /// Sets the certificate share of KeyMode::kBoth (`POST /sandbox/v1/certificates/share`) and
  /// saves it. Errors: kInvalidArgument (not within 0..1).
  Status SetCertificateShare(double share);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wechatpay::sandbox
