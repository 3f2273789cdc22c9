// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Sandbox: wires the pieces together and routes every request: the control API first (never
// faulted), then the fault registry, then the WeChat Pay v3 paths or the CloudBase gateway.
// Every answer carries a Request-ID (the gateway's carry X-Request-Id instead); every 2xx of
// the v3 paths is signed, 204 included.
//
// Durations (docs/sandbox.md, --time-scale): WeChat-side durations are multiplied by the time
// scale: the callback retry schedule, the 2-hour code_url validity, the callback answer deadline (5
// s, at least 1 s real) and refund processing (kRefundProcessing). Instants a client compares with
// its own clock (signature timestamps, the 5-minute window, RFC 3339 times) are never scaled,
// nor are injected network delays (delay:MS) or token lifetimes (CloudBase's, not WeChat's).
#include "wechatpay/sandbox/sandbox.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "common/url.hpp"
#include "control/client_config.hpp"
#include "control/control_api.hpp"
#include "control/faults.hpp"
#include "gateway/gateway.hpp"
#include "gateway/pay_common.hpp"
#include "gateway/token_store.hpp"
#include "http/exchange.hpp"
#include "http/http_front.hpp"
#include "http/json_util.hpp"
#include "http/request_log.hpp"
#include "http/stats.hpp"
#include "state/bill_files.hpp"
#include "state/clock.hpp"
#include "state/identity_store.hpp"
#include "state/listen_state.hpp"
#include "state/order_book.hpp"
#include "state/random_ids.hpp"
#include "state/scheduler.hpp"
#include "state/state_files.hpp"
#include "v3/bill_api.hpp"
#include "v3/callback_sender.hpp"
#include "v3/request_auth.hpp"
#include "v3/response_signer.hpp"
#include "v3/signing_keys.hpp"
#include "v3/v3_api.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/credentials.hpp"
#include "wechatpay/protocol/keys.hpp"

namespace wechatpay::sandbox {
namespace {

using internal::Answer;
using internal::HttpFront;
using internal::Inbound;

// Refunds take 1–3 working days in production (docs/protocol.md, "Refund limits"); the sandbox
// completes them after 5 s of WeChat time: long enough to observe PROCESSING, short enough for a
// demo at
// --time-scale 1.
constexpr std::chrono::milliseconds kRefundProcessing = std::chrono::seconds(5);
constexpr std::size_t kSchedulerThreads = 4;
// The huge-header fault's extra header line: 200 KB, twice the longest line libcurl accepts
// (100 KiB) and three times the SDK's limit on all the headers of an answer (64 KiB).
constexpr std::size_t kHugeHeaderBytes = 200000;

Status InvalidOption(std::string message) {
  return Status(StatusCode::kInvalidArgument, "sandbox: " + std::move(message));
}

// The WeChat error a status:CODE fault answers with (docs/protocol.md, "HTTP statuses").
Answer WeChatFaultAnswer(int status) {
  struct Known {
    int status;
    char const* code;
    char const* message;
  };
  static constexpr Known kKnown[] = {
      {202, "ACCEPTED", "请求已受理，请使用原参数重复请求一遍"},
      {400, "PARAM_ERROR", "参数错误"},
      {401, "SIGN_ERROR", "签名错误，请检查后再试"},
      {403, "NO_AUTH", "商户无权限"},
      {404, "ORDER_NOT_EXIST", "订单不存在"},
      {429, "FREQUENCY_LIMITED", "频率超限，请降低频率后重试"},
      {500, "SYSTEM_ERROR", "系统异常，请稍后重试"},
      {502, "SERVICE_UNAVAILABLE", "服务不可用，请稍后重试"},
      {503, "SERVICE_UNAVAILABLE", "服务不可用，请稍后重试"},
  };
  for (auto const& known : kKnown) {
    if (known.status == status) return internal::WeChatError(status, known.code, known.message);
  }
  return status >= 500 ? internal::WeChatError(status, "SYSTEM_ERROR", "系统异常，请稍后重试")
                       : internal::WeChatError(status, "INVALID_REQUEST", "无效请求");
}

// The gateway's error shape for a status:CODE fault on a function call.
Answer GatewayFaultAnswer(int status) {
  char const* code = status == 401   ? "INVALID_CREDENTIALS"
                     : status == 403 ? "ACCESS_DENIED"
                     : status == 404 ? "FUNCTION_NOT_FOUND"
                     : status == 429 ? "EXCEED_REQUEST_LIMIT"
                     : status >= 500 ? "FUNCTION_INVOCATION_FAILED"
                                     : "SANDBOX_FAULT";
  std::string const request_id = internal::RandomUuid();
  Answer answer = internal::JsonAnswer(status, internal::JsonObject()
                                                   .Str("code", code)
                                                   .Str("message", "injected fault")
                                                   .Str("requestId", request_id)
                                                   .Build());
  answer.headers.Set("X-Request-Id", request_id);
  return answer;
}

bool StartsWith(std::string const& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

class Sandbox::Impl {
 public:
  explicit Impl(Options options) : options_(std::move(options)) {}

  ~Impl() {
    Stop();
    // Members still hold files open in the folder only until they are destroyed, and nothing
    // reads them any more.
    if (!temp_dir_.empty()) internal::RemoveTree(temp_dir_);
  }

  Status Start();
  void Stop();

  bool running() const { return running_.load(); }
  int port() const { return front_ ? front_->port() : 0; }
  std::optional<int> previous_port() const { return previous_port_; }
  // The state folder when it is kept (Options::state_dir), else "".
  std::string const& kept_dir() const { return kept_dir_; }
  // Guards the record of written configuration files.
  std::mutex& configs_mu() { return configs_mu_; }
  std::string const& base_url() const { return base_url_; }
  Identity const& identity() const { return material_.identity; }
  Options const& options() const { return options_; }
  internal::ControlApi& control() { return *control_; }
  internal::OrderBook& orders() { return *orders_; }
  internal::FaultRegistry& faults() { return faults_; }
  internal::StatsCounters& stats() { return stats_; }
  internal::SandboxClock const& clock() const { return clock_; }
  internal::SigningKeys& keys() { return *keys_; }
  bool has_keys() const { return keys_ != nullptr; }
  internal::NotifySink const& sink() const { return sink_; }

 private:
  Status CheckOptions() const;
  HttpFront::Reply Handle(Inbound const& request);
  Answer Route(Inbound const& request, bool corrupt_bill);
  void ScheduleRefund(std::string const& out_refund_no);
  // Waits up to `delay`, returning early when the sandbox stops.
  void InterruptibleWait(std::chrono::milliseconds delay);

  Options options_;
  std::string temp_dir_;
  std::string kept_dir_;
  std::optional<int> previous_port_;
  std::mutex configs_mu_;
  internal::IdentityMaterial material_;
  std::string base_url_;
  internal::TimeScale scale_{1.0};
  internal::SandboxClock clock_;
  internal::BillFiles bill_files_;
  internal::StatsCounters stats_;
  internal::FaultRegistry faults_;
  internal::NotifySink sink_;
  std::unique_ptr<internal::OrderBook> orders_;
  std::unique_ptr<internal::TokenStore> tokens_;
  std::unique_ptr<internal::SigningKeys> keys_;
  std::unique_ptr<internal::ResponseSigner> signer_;
  std::unique_ptr<internal::Scheduler> scheduler_;
  std::unique_ptr<internal::CallbackSender> callbacks_;
  std::unique_ptr<internal::BillApi> bills_;
  std::unique_ptr<internal::V3Api> v3_;
  std::unique_ptr<internal::PayCommon> pay_common_;
  std::unique_ptr<internal::Gateway> gateway_;
  std::unique_ptr<internal::ControlApi> control_;
  std::unique_ptr<HttpFront> front_;  // last: destroyed (stopped) first
  std::atomic<bool> ready_{false};
  std::atomic<bool> running_{false};
  bool started_ = false;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

Status Sandbox::Impl::CheckOptions() const {
  if (!wechatpay::internal::IsLoopbackHost(options_.host)) {
    return InvalidOption(
        "the sandbox listens on loopback only (127.0.0.1, localhost or ::1), not '" +
        options_.host + "'");
  }
  if (options_.port < 0 || options_.port > 65535) {
    return InvalidOption("port must be 0-65535 (got " + std::to_string(options_.port) + ")");
  }
  if (!(options_.time_scale > 0) || !std::isfinite(options_.time_scale)) {
    return InvalidOption("time_scale must be a positive number");
  }
  if (options_.keep_alive_timeout.count() < 1) {
    return InvalidOption("keep_alive_timeout must be at least 1 second");
  }
  if (options_.worker_threads < 2) return InvalidOption("worker_threads must be at least 2");
  if (options_.keep_alive_max_requests < 1) {
    return InvalidOption("keep_alive_max_requests must be at least 1");
  }
  if (options_.certificate_share &&
      !(*options_.certificate_share >= 0 && *options_.certificate_share <= 1)) {
    return InvalidOption("certificate_share must be within 0..1");
  }
  if (options_.bill_ready_hour < 0 || options_.bill_ready_hour > 23) {
    return InvalidOption("bill_ready_hour must be an hour 0-23 (got " +
                         std::to_string(options_.bill_ready_hour) + ")");
  }
  if (options_.bill_url_lifetime.count() < 1) {
    return InvalidOption("bill_url_lifetime must be at least 1 second");
  }
  return Status();
}

Status Sandbox::Impl::Start() {
  if (started_) return Status(StatusCode::kInternal, "sandbox: a sandbox starts only once");
  started_ = true;
  if (auto status = CheckOptions(); !status.ok()) return status;
  scale_ = internal::TimeScale(options_.time_scale);
  bool const persistent = !options_.state_dir.empty();
  std::string dir;
  if (persistent) {
    dir = internal::AbsolutePath(options_.state_dir);
  } else {
    auto temp = internal::MakeTempDirectory("wechatpay-sandbox");
    if (!temp) return temp.status();
    dir = temp_dir_ = *temp;
  }
  auto material = internal::LoadOrCreateIdentity(dir, !options_.plain_http);
  if (!material) return material.status();
  material_ = *std::move(material);
  Identity const& id = material_.identity;

  auto wechat_key_pem = LoadPem(id.wechatpay_private_key_file, "wechatpay private key");
  if (!wechat_key_pem) return wechat_key_pem.status();
  auto wechat_key = PrivateKey::FromPem(*wechat_key_pem);
  if (!wechat_key) return wechat_key.status();
  auto merchant_public_pem = LoadPem(id.merchant_public_key_file, "merchant public key");
  if (!merchant_public_pem) return merchant_public_pem.status();
  auto merchant_key = PublicKey::FromPem(*merchant_public_pem);
  if (!merchant_key) return merchant_key.status();
  auto cipher = AesGcmCipher::Create(id.api_v3_key);
  if (!cipher) return cipher.status();
  auto certificate_cipher = AesGcmCipher::Create(id.api_v3_key);
  if (!certificate_cipher) return certificate_cipher.status();

  orders_ = std::make_unique<internal::OrderBook>(persistent ? dir + "/state.json" : "", scale_);
  if (auto status = orders_->Load(); !status.ok()) return status;
  tokens_ = std::make_unique<internal::TokenStore>(persistent ? dir + "/tokens.json" : "");
  if (auto status = tokens_->Load(); !status.ok()) return status;
  auto keys = internal::SigningKeys::Load(
      dir, [&dir] { return internal::LoadOrCreateCa(dir, nullptr); },
      internal::SigningKey{*std::move(wechat_key), id.wechatpay_public_key_id, false},
      options_.key_mode, options_.certificate_share);
  if (!keys) return keys.status();
  keys_ = *std::move(keys);
  // The platform certificates chain to the sandbox CA, which clients then need with plain HTTP
  // too.
  if (keys_->mode() != KeyMode::kPublicKey) material_.identity.ca_file = internal::CaFilePath(dir);
  signer_ = std::make_unique<internal::ResponseSigner>(*keys_);
  scheduler_ = std::make_unique<internal::Scheduler>(kSchedulerThreads);
  // Callbacks go out through the SDK's own transport: TLS verification on, the sandbox CA
  // trusted in addition to the system's (for the sandbox's own notify sink over HTTPS), plain
  // http only to loopback receivers.
  CurlTransportOptions transport;
  transport.ca_file = id.ca_file;
  callbacks_ = std::make_unique<internal::CallbackSender>(
      *scheduler_, scale_, *signer_, *std::move(cipher), MakeCurlTransport(transport), stats_,
      [this](std::string const& out_trade_no, internal::DeliveryRecord record) {
        orders_->RecordDelivery(out_trade_no, std::move(record));
      });
  bills_ = std::make_unique<internal::BillApi>(
      *orders_, clock_, bill_files_, base_url_,
      internal::BillSettings{options_.bill_ready_hour, options_.bill_url_lifetime});
  v3_ = std::make_unique<internal::V3Api>(
      id.app_id, id.service_app_id,
      internal::RequestAuthenticator(id.merchant_id, id.merchant_serial_number,
                                     *std::move(merchant_key)),
      *orders_, [this](std::string const& out_refund_no) { ScheduleRefund(out_refund_no); },
      [this, download_cipher = *std::move(certificate_cipher)] {
        return keys_->DownloadAnswer(download_cipher);
      },
      bills_.get(),
      [this](std::string_view serial, std::string_view ciphertext) {
        return keys_->Decrypt(serial, ciphertext);
      });

  HttpFront::Options front;
  front.host = options_.host;
  front.port = options_.port;
  // A kept state folder keeps the port too: the URL in the configurations written for it
  // stays right across restarts, unless another program took the port meanwhile.
  if (persistent) {
    kept_dir_ = dir;
    previous_port_ = internal::LoadRecordedPort(dir);
    if (options_.port == 0 && previous_port_) front.port = *previous_port_;
  }
  front.cert_file = material_.server_cert_file;
  front.key_file = material_.server_key_file;
  front.keep_alive_timeout = options_.keep_alive_timeout;
  front.worker_threads = options_.worker_threads;
  front.keep_alive_max_count = options_.keep_alive_max_requests;
  front_ = std::make_unique<HttpFront>(front, stats_,
                                       [this](Inbound const& request) { return Handle(request); });
  if (auto status = front_->Start(); !status.ok()) {
    if (front.port == options_.port) return status;
    // The recorded port is taken: any free one, as asked.
    front.port = options_.port;
    front_ = std::make_unique<HttpFront>(
        front, stats_, [this](Inbound const& request) { return Handle(request); });
    if (auto again = front_->Start(); !again.ok()) return again;
  }
  if (persistent) {
    if (auto status = internal::RecordPort(dir, front_->port()); !status.ok()) return status;
  }
  std::string const host = options_.host == "::1" ? "[::1]" : options_.host;
  base_url_ =
      (options_.plain_http ? "http://" : "https://") + host + ":" + std::to_string(front_->port());

  pay_common_ = std::make_unique<internal::PayCommon>(
      internal::PayCommonSettings{id.app_id, id.service_app_id, id.merchant_id,
                                  base_url_ + "/sandbox/v1/notify-sink",
                                  base_url_ + "/sandbox/v1/notify-sink/refunds"},
      *v3_);
  gateway_ = std::make_unique<internal::Gateway>(id.function_name, *tokens_, *pay_common_);
  control_ = std::make_unique<internal::ControlApi>(*orders_, *callbacks_, faults_, *tokens_,
                                                    stats_, sink_, *keys_, clock_,
                                                    internal::PublicIdentityJson(id));
  // Refunds that were PROCESSING when the sandbox last stopped complete after a fresh delay.
  for (auto const& no : orders_->ProcessingRefunds()) ScheduleRefund(no);
  ready_ = true;
  running_ = true;
  return Status();
}

void Sandbox::Impl::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  // Pending callbacks and refund completions first (a delivery in flight may be talking to
  // this very server), then the server.
  if (scheduler_) scheduler_->Stop();
  if (callbacks_) callbacks_->Shutdown();
  if (front_) front_->Stop();
  running_ = false;
}

void Sandbox::Impl::InterruptibleWait(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(stop_mu_);
  stop_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

void Sandbox::Impl::ScheduleRefund(std::string const& out_refund_no) {
  // The round now: a later abnormal-refund application schedules its own completion.
  std::int64_t const round = orders_->RefundRound(out_refund_no);
  scheduler_->Schedule(scale_.Real(kRefundProcessing), [this, out_refund_no, round] {
    if (auto notification = orders_->CompleteRefund(out_refund_no, round)) {
      callbacks_->Send(*notification);
    }
  });
}

Answer Sandbox::Impl::Route(Inbound const& request, bool corrupt_bill) {
  if (StartsWith(request.path, "/v3/")) return v3_->Handle(request, corrupt_bill);
  if (StartsWith(request.path, internal::kFunctionsPrefix)) return gateway_->Handle(request);
  return internal::JsonAnswer(
      404, internal::JsonObject()
               .Str("code", "NOT_FOUND")
               .Str("message",
                    "the sandbox serves /v3/ (WeChat Pay), /v1/functions/ (CloudBase "
                    "gateway) and /sandbox/v1/ (control); not " +
                        request.path)
               .Build());
}

HttpFront::Reply Sandbox::Impl::Handle(Inbound const& request) {
  stats_.CountRequest();
  HttpFront::Reply reply;
  bool faulted = false;
  if (!ready_) {
    reply.answer = internal::JsonAnswer(
        503, R"({"code":"SERVICE_UNAVAILABLE","message":"the sandbox is starting"})");
  } else if (StartsWith(request.path, internal::kControlPrefix)) {
    reply.answer = control_->Handle(request);
  } else {
    if (request.method == "GET" && request.path == internal::kCertificatesPath) {
      stats_.CountCertificateDownload();
    }
    if (request.method == "GET" && request.path == internal::kBillDownloadPath) {
      stats_.CountBillDownload();
    }
    auto fault = faults_.Take(request.method, request.path);
    std::optional<internal::FaultKind> kind;
    faulted = fault.has_value();
    if (fault) {
      stats_.CountFault();
      kind = fault->kind;
    }
    if (kind == internal::FaultKind::kStatus) {
      // The service failed before doing anything: the request is not applied.
      reply.answer = StartsWith(request.path, internal::kFunctionsPrefix)
                         ? GatewayFaultAnswer(fault->status)
                         : WeChatFaultAnswer(fault->status);
    } else {
      if (kind == internal::FaultKind::kDelay) InterruptibleWait(fault->delay);
      // drop, truncate, endless-body and huge-header apply the request and spoil the answer on
      // the way back: the nastier case for a client, whose POST then has an unknown outcome.
      reply.answer = Route(request, kind == internal::FaultKind::kCorruptBill);
      if (kind == internal::FaultKind::kDrop) reply.delivery = HttpFront::Delivery::kDrop;
      if (kind == internal::FaultKind::kTruncate) reply.delivery = HttpFront::Delivery::kTruncate;
      if (kind == internal::FaultKind::kEndlessBody) {
        reply.delivery = HttpFront::Delivery::kEndlessBody;
      }
      if (kind == internal::FaultKind::kHugeHeader) {
        reply.answer.headers.Add("X-Sandbox-Padding", std::string(kHugeHeaderBytes, 'p'));
      }
    }
    if (reply.answer.wechat) {
      signer_->SignAnswer(reply.answer, internal::UnixSeconds(internal::SystemClock::now()), kind,
                          request.headers.Get(std::string(wechatpay::headers::kSerial)));
    }
  }
  if (!reply.answer.headers.Has("X-Request-Id") && !reply.answer.headers.Has("Request-ID")) {
    reply.answer.headers.Set("Request-ID", internal::MakeRequestId(reply.answer.internal_code));
  }
  stats_.CountResponse(reply.answer.status);
  if (options_.request_log) {
    options_.request_log(internal::RequestLogLine(request, reply.answer, faulted));
  }
  return reply;
}

Sandbox::Sandbox() : Sandbox(Options{}) {}

Sandbox::Sandbox(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Sandbox::~Sandbox() = default;

Status Sandbox::Start() { return impl_->Start(); }

void Sandbox::Stop() { impl_->Stop(); }

bool Sandbox::running() const { return impl_->running(); }

int Sandbox::port() const { return impl_->port(); }

std::optional<int> Sandbox::previous_port() const { return impl_->previous_port(); }

std::string Sandbox::BaseUrl() const { return impl_->base_url(); }

std::string Sandbox::NotifyUrl() const { return impl_->base_url() + "/sandbox/v1/notify-sink"; }

std::string Sandbox::RefundNotifyUrl() const {
  return impl_->base_url() + "/sandbox/v1/notify-sink/refunds";
}

Identity const& Sandbox::identity() const { return impl_->identity(); }

Sandbox::Options const& Sandbox::options() const { return impl_->options(); }

MerchantConfig Sandbox::ClientConfig() const {
  Identity const& id = identity();
  MerchantConfig config;
  config.app_id = id.app_id;
  config.merchant_id = id.merchant_id;
  config.api_v3_key = id.api_v3_key;
  config.merchant_serial_number = id.merchant_serial_number;
  config.private_key = id.merchant_private_key_file;
  // A certificate-only merchant has no public key (docs/sandbox.md, "Key modes").
  switch (key_mode()) {
    case KeyMode::kPublicKey:
      config.verification_keys = VerificationKeys::kPublicKey;
      break;
    case KeyMode::kCertificate:
      config.verification_keys = VerificationKeys::kPlatformCertificates;
      break;
    case KeyMode::kBoth:
      config.verification_keys = VerificationKeys::kBoth;
      break;
  }
  if (key_mode() != KeyMode::kCertificate) {
    config.wx_pay_public_key = id.wechatpay_public_key_file;
    config.wx_pay_public_key_id = id.wechatpay_public_key_id;
  }
  // The sandbox CA issues the platform certificates: a client checks each download against it.
  if (key_mode() != KeyMode::kPublicKey) config.platform_certificate_ca = id.ca_file;
  config.notify_url = NotifyUrl();
  config.base_url = BaseUrl();
  config.ca_file = id.ca_file;
  return config;
}

StatusOr<MerchantConfig> Sandbox::GatewayClientConfig(TokenOptions const& token) {
  auto access_token = CreateToken(token);
  if (!access_token) return access_token.status();
  MerchantConfig config = ClientConfig();
  config.gateway = GatewayConfig{identity().env_id, identity().function_name,
                                 *std::move(access_token), BaseUrl()};
  return config;
}

namespace {

// Adds (or updates) `config` in the record of a kept state folder `dir`.
void RecordWrittenConfig(std::string const& dir, std::mutex& mu, internal::WrittenConfig config) {
  if (dir.empty() || config.path.find('\n') != std::string::npos) return;
  std::lock_guard<std::mutex> lock(mu);
  auto configs = internal::LoadWrittenConfigs(dir);
  configs.erase(std::remove_if(configs.begin(), configs.end(),
                               [&config](internal::WrittenConfig const& known) {
                                 return known.path == config.path;
                               }),
                configs.end());
  configs.push_back(std::move(config));
  // Best effort: a record that cannot be written only means no rewrite after a port change.
  (void)internal::SaveWrittenConfigs(dir, configs);
}

}  // namespace

Status Sandbox::WriteClientConfig(std::string const& path) {
  auto status = internal::WriteFileAtomic(path, internal::ClientConfigJson(ClientConfig()), true);
  if (status.ok()) {
    RecordWrittenConfig(impl_->kept_dir(), impl_->configs_mu(),
                        {internal::AbsolutePath(path), false, 0});
  }
  return status;
}

Status Sandbox::WriteGatewayClientConfig(std::string const& path, TokenOptions const& token) {
  auto config = GatewayClientConfig(token);
  if (!config) return config.status();
  auto status = internal::WriteFileAtomic(path, internal::ClientConfigJson(*config), true);
  if (status.ok()) {
    RecordWrittenConfig(impl_->kept_dir(), impl_->configs_mu(),
                        {internal::AbsolutePath(path), true, token.ttl.count()});
  }
  return status;
}

Sandbox::RewriteResult Sandbox::RewriteWrittenConfigs() {
  RewriteResult result;
  std::vector<internal::WrittenConfig> configs;
  {
    std::lock_guard<std::mutex> lock(impl_->configs_mu());
    if (impl_->kept_dir().empty()) return result;
    configs = internal::LoadWrittenConfigs(impl_->kept_dir());
  }
  for (auto const& config : configs) {
    std::error_code error;
    if (!std::filesystem::is_directory(std::filesystem::path(config.path).parent_path(), error)) {
      // Its folder is gone (a test's temporary folder, a moved project): forget it.
      std::lock_guard<std::mutex> lock(impl_->configs_mu());
      auto known = internal::LoadWrittenConfigs(impl_->kept_dir());
      known.erase(std::remove_if(known.begin(), known.end(),
                                 [&config](internal::WrittenConfig const& entry) {
                                   return entry.path == config.path;
                                 }),
                  known.end());
      (void)internal::SaveWrittenConfigs(impl_->kept_dir(), known);
      continue;
    }
    TokenOptions token;
    token.ttl = std::chrono::seconds(config.token_ttl_seconds);
    Status status = config.gateway ? WriteGatewayClientConfig(config.path, token)
                                   : WriteClientConfig(config.path);
    if (status.ok()) {
      result.written.push_back(config.path);
    } else {
      result.failed.emplace_back(config.path, status);
    }
  }
  return result;
}

StatusOr<std::string> Sandbox::CreateToken(TokenOptions const& options) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->control().CreateToken(options);
}

StatusOr<std::string> Sandbox::Pay(std::string const& out_trade_no, PayOptions const& options) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->control().Pay(out_trade_no, options);
}

Status Sandbox::SeedPaidOrders(std::string const& bill_date, std::int64_t count) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  auto const day_begin = internal::BeijingMidnight(bill_date);
  if (!day_begin) {
    return Status(StatusCode::kInvalidArgument, "bill_date: not a date of the form yyyy-MM-dd");
  }
  if (count < 1 || count > kMaxSeededOrders) {
    return Status(StatusCode::kInvalidArgument,
                  "count: must be 1 to " + std::to_string(kMaxSeededOrders));
  }
  Identity const& id = impl_->identity();
  if (!impl_->orders().SeedPaidOrders(count, *day_begin, id.app_id, id.merchant_id)) {
    return Status(StatusCode::kInvalidArgument,
                  "bill_date: orders were seeded for this day already");
  }
  return Status();
}

StatusOr<std::string> Sandbox::Fail(std::string const& out_trade_no) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->control().Fail(out_trade_no);
}

StatusOr<std::string> Sandbox::Scan(std::string const& out_trade_no) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->control().Scan(out_trade_no);
}

StatusOr<std::string> Sandbox::RefundAbnormal(std::string const& out_refund_no) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->control().EndRefund(out_refund_no, "ABNORMAL");
}

StatusOr<std::string> Sandbox::RefundClose(std::string const& out_refund_no) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->control().EndRefund(out_refund_no, "CLOSED");
}

Status Sandbox::RefuseNextRefunds(int count) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->control().RefuseNextRefunds(count);
}

StatusOr<std::string> Sandbox::OrderView(std::string const& out_trade_no) const {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->control().View(out_trade_no);
}

Status Sandbox::AddFault(Fault const& fault) {
  auto id = impl_->faults().Add(fault);
  return id ? Status() : id.status();
}

void Sandbox::ClearFaults() { impl_->faults().Clear(); }

StatusOr<std::string> Sandbox::AdvanceClock(std::chrono::seconds by) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  if (auto status = impl_->control().AdvanceClock(by); !status.ok()) return status;
  return internal::Rfc3339China(impl_->clock().Now());
}

Stats Sandbox::GetStats() const { return impl_->stats().Snapshot(); }

void Sandbox::ResetStats() { impl_->stats().Reset(); }

std::vector<std::string> Sandbox::NotifySinkBodies() const { return impl_->sink().Bodies(); }

KeyMode Sandbox::key_mode() const {
  return impl_->has_keys() ? impl_->keys().mode() : KeyMode::kPublicKey;
}

std::vector<PlatformCertificate> Sandbox::PlatformCertificates() const {
  if (!impl_->has_keys()) return {};
  return impl_->keys().List();
}

StatusOr<std::string> Sandbox::RotateCertificate(RotateOptions const& options) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->keys().Rotate(options);
}

Status Sandbox::SetCertificateShare(double share) {
  if (!impl_->running()) return Status(StatusCode::kInternal, "sandbox: not running");
  return impl_->keys().SetShare(share);
}

}  // namespace wechatpay::sandbox
