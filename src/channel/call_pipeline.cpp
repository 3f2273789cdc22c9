// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/call_pipeline.hpp"

#include <cstdlib>

#include "channel/proxy_settings.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <thread>

#include "channel/user_agent.hpp"
#include "common/config_error.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "common/url.hpp"
#include "http/ca_file.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/protocol/constants.hpp"

namespace wechatpay::internal {

std::chrono::milliseconds BackoffDelay(RetryOptions const& options, int retry, double jitter,
                                       std::chrono::milliseconds retry_after) {
  double base = static_cast<double>(options.initial_backoff.count());
  for (int i = 0; i < retry && base < static_cast<double>(options.max_backoff.count()); ++i)
    base *= 2;
  auto const cap = static_cast<double>(options.max_backoff.count());
  double delay = std::min(base, cap) * jitter;
  delay = std::max(delay, static_cast<double>(retry_after.count()));
  delay = std::min(delay, cap);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(delay, 0.0)));
}

std::chrono::milliseconds RetryAfterHint(std::string_view header_value) {
  constexpr std::int64_t kMaxSeconds = 24 * 60 * 60;
  auto const seconds = ParseInt64(Trim(header_value));
  if (!seconds || *seconds <= 0) return std::chrono::milliseconds{0};
  return std::chrono::seconds(std::min(*seconds, kMaxSeconds));
}

AttemptBudget NextAttemptBudget(Timeouts const& timeouts, std::chrono::milliseconds spent) {
  AttemptBudget budget;
  budget.connect_timeout = timeouts.connect;
  if (timeouts.total.count() <= 0) {
    budget.timeout = timeouts.attempt;
    return budget;
  }
  // At least 1 ms: zero would mean "the transport's default", i.e. no bound at all.
  auto const left = std::max(timeouts.total - spent, std::chrono::milliseconds(1));
  budget.timeout = timeouts.attempt.count() > 0 ? std::min(timeouts.attempt, left) : left;
  if (budget.connect_timeout.count() <= 0 || budget.connect_timeout > budget.timeout) {
    budget.connect_timeout = budget.timeout;
  }
  return budget;
}

bool RetryFitsBudget(Timeouts const& timeouts, std::chrono::milliseconds spent,
                     std::chrono::milliseconds delay) {
  if (timeouts.total.count() <= 0) return true;
  auto const useful = std::min(timeouts.total / 4, std::chrono::milliseconds(1000));
  return timeouts.total - spent - delay >= std::max(useful, std::chrono::milliseconds(1));
}

double RandomJitter() {
  // Jitter needs no cryptographic quality; one generator per thread avoids a lock.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_real_distribution<double> distribution(0.75, 1.25);
  return distribution(generator);
}

StatusOr<Timeouts> CallTimeouts(Timeouts const& configured, CallOptions const& call,
                                std::chrono::steady_clock::time_point now) {
  if (call.timeout.count() < 0) {
    return InvalidArgument("timeout", "CallOptions::timeout must not be negative");
  }
  Timeouts timeouts = configured;
  // A bound only ever shortens the call: the smallest positive one wins (zero is "none").
  auto shorten = [&timeouts](std::chrono::milliseconds bound) {
    if (timeouts.total.count() <= 0 || bound < timeouts.total) timeouts.total = bound;
  };
  if (call.timeout.count() > 0) shorten(call.timeout);
  if (call.deadline) {
    auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(*call.deadline - now);
    if (left.count() <= 0) {
      return Status(StatusCode::kDeadlineExceeded,
                    "the call's deadline passed before the request was sent; nothing was sent");
    }
    shorten(left);
  }
  return timeouts;
}

StatusOr<std::string> CheckServiceUrl(std::string const& url, std::string_view field) {
  std::string const name(field);
  auto parsed = ParseUrl(url);
  // User info is a credential: refused without quoting any of the URL.
  if (parsed && parsed->has_userinfo) {
    return ConfigError(name, name + " must not contain user info (user:password@)");
  }
  if (!parsed || parsed->has_query || parsed->has_fragment) {
    return ConfigError(name, name +
                                 " must be an absolute http(s) URL without query, fragment or "
                                 "user info (" +
                                 UrlForMessage(url) + ")");
  }
  if (parsed->scheme != "https" && !IsLoopbackHost(parsed->host)) {
    return ConfigError(name, name +
                                 " must use https; plain http is allowed only for loopback "
                                 "hosts (" +
                                 UrlForMessage(url) + ")");
  }
  std::string path = parsed->target;
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

StatusOr<CallPipeline> CallPipeline::Create(MerchantConfig const& config, ClientOptions options) {
  if (!options.transport) {
    if (auto status = CheckCaFile(config.ca_file); !status.ok()) return status;
    auto proxy = ResolveProxySettings(config, [](char const* name) { return std::getenv(name); });
    if (!proxy) return proxy.status();
    CurlTransportOptions transport_options;
    transport_options.proxy = std::move(proxy->proxy);
    transport_options.no_proxy = std::move(proxy->no_proxy);
    transport_options.ca_file = config.ca_file;
    transport_options.connect_timeout = config.timeouts.connect;
    transport_options.timeout = config.timeouts.total;
    options.transport = MakeCurlTransport(std::move(transport_options));
  }
  if (options.retry.max_retries < 0) options.retry.max_retries = 0;
  CallPipeline pipeline(std::move(options), config.timeouts);
  pipeline.async_ = AsAsync(*pipeline.options_.transport);
  // The gateway reaches pay-common, not WeChat's domains: a backup domain means nothing there.
  if (!config.backup_base_url.empty() && !config.gateway) {
    auto primary_path = CheckServiceUrl(config.base_url, "baseUrl");
    if (!primary_path) return primary_path.status();
    auto backup_path = CheckServiceUrl(config.backup_base_url, "backupBaseUrl");
    if (!backup_path) return backup_path.status();
    // Both checked above: they parse.
    auto const primary = ParseUrl(config.base_url);
    auto const backup = ParseUrl(config.backup_base_url);
    if (*backup_path != *primary_path) {
      return ConfigError("backupBaseUrl",
                         "backupBaseUrl must have the same path as baseUrl: the signature covers "
                         "the path, which must not change when a request moves to the backup "
                         "domain");
    }
    if (backup->scheme == primary->scheme && EqualsIgnoreCase(backup->host, primary->host) &&
        backup->port == primary->port) {
      return ConfigError("backupBaseUrl",
                         "backupBaseUrl must name another host or port than baseUrl");
    }
    pipeline.primary_scheme_ = primary->scheme;
    pipeline.primary_host_ = primary->host;
    pipeline.primary_port_ = primary->port;
    bool const ipv6 = backup->host.find(':') != std::string::npos;
    pipeline.backup_host_ = backup->host;
    pipeline.backup_origin_ =
        backup->scheme + "://" + (ipv6 ? "[" + backup->host + "]" : backup->host);
    if (backup->port != 0) pipeline.backup_origin_ += ":" + std::to_string(backup->port);
  }
  return StatusOr<CallPipeline>(std::move(pipeline));
}

std::string CallPipeline::OnBackupHost(std::string const& url) const {
  auto const parsed = ParseUrl(url);
  if (!parsed || parsed->scheme != primary_scheme_ ||
      !EqualsIgnoreCase(parsed->host, primary_host_) || parsed->port != primary_port_) {
    return url;
  }
  return backup_origin_ + parsed->target;
}

void CallPipeline::BeforeSend(HttpRequest& request, AttemptBudget const& budget,
                              LogLines const& log) const {
  request.timeout = budget.timeout;
  request.connect_timeout = budget.connect_timeout;
  request.headers.Add(std::string(headers::kAccept), "application/json");
  request.headers.Add(std::string(headers::kContentType), "application/json");
  request.headers.Add(std::string(headers::kUserAgent), UserAgent());
  if (budget.backup_host && failover()) request.url = OnBackupHost(request.url);
  // Log lines are built only for a logger: concatenating them costs allocations per call.
  if (logging()) {
    Log(LogLevel::kDebug, "> " + log.request_line +
                              (budget.backup_host ? " (backup domain " + backup_host_ + ")" : ""));
  }
  if (budget.record) {
    budget.record->method = request.method;
    budget.record->path = PathForEvent(request.url);
    auto const parsed = ParseUrl(request.url);
    budget.record->host = parsed ? parsed->host : std::string();
    budget.record->backup_host = budget.backup_host && failover();
    budget.record->request_bytes += request.body.size();
    budget.record->http_status = 0;
    budget.record->request_id.clear();
  }
}

void CallPipeline::AfterSend(StatusOr<HttpResponse>& sent, AttemptRecord* record,
                             std::string_view label, std::string_view id_header,
                             std::function<void(HttpResponse&)> const& on_answer) const {
  if (sent && on_answer) on_answer(*sent);
  // Recorded after on_answer, which scrubs what must not be read (the gateway's token).
  if (record && sent) {
    record->http_status = sent->status_code;
    record->response_bytes += sent->body.size();
    if (!id_header.empty()) {
      record->request_id = PrintableUntrusted(sent->headers.Get(id_header), 128);
    }
  }
  if (logging() && sent) {
    // The id is quoted in logs: printable and bounded like all network text.
    std::string line = "< " + std::to_string(sent->status_code) + " " + std::string(label);
    auto const id = PrintableUntrusted(sent->headers.Get(id_header), 128);
    if (!id.empty()) line += " " + std::string(id_header) + " " + id;
    Log(LogLevel::kDebug, line);
  }
}

StatusOr<HttpResponse> CallPipeline::Send(
    HttpRequest request, AttemptBudget const& budget, LogLines const& log,
    std::function<void(HttpResponse&)> const& on_answer) const {
  BeforeSend(request, budget, log);
  auto sent = options_.transport->Send(request);
  AfterSend(sent, budget.record, log.label, log.id_header, on_answer);
  return sent;
}

AsyncTicket CallPipeline::SendAsync(HttpRequest request, AttemptBudget const& budget,
                                    LogLines const& log, HttpCompletion done) const {
  BeforeSend(request, budget, log);
  // The label is the caller's (a view): the completion runs later and keeps a copy.
  return async_->SendAsync(
      std::move(request),
      [this, record = budget.record, label = std::string(log.label), id_header = log.id_header,
       done = std::move(done)](StatusOr<HttpResponse> sent) {
        AfterSend(sent, record, label, id_header, {});
        done(std::move(sent));
      });
}

CallPipeline::Call::Call(CallPipeline const& pipeline, Operation operation,
                         CallOptions const& options, std::string_view label)
    : pipeline_(pipeline),
      operation_(operation),
      options_(options),
      label_(label),
      started_(Clock::now()) {}

Status CallPipeline::Call::Start() {
  auto timeouts = CallTimeouts(pipeline_.timeouts_, options_, started_);
  if (!timeouts) {
    pipeline_.Report(operation_, {}, 0, timeouts.status(), RetryDecision::kNotRetryable, {}, {},
                     started_);
    return timeouts.status();
  }
  timeouts_ = *timeouts;
  return Status();
}

AttemptBudget CallPipeline::Call::NextAttempt() {
  record_ = AttemptRecord{};
  auto budget = NextAttemptBudget(*timeouts_, spent_);
  if (pipeline_.reporting()) budget.record = &record_;
  budget.backup_host = on_backup_;
  attempt_started_ = Clock::now();
  return budget;
}

void CallPipeline::Call::Succeeded() {
  auto const took = Clock::now() - attempt_started_;
  spent_ += std::chrono::duration_cast<std::chrono::milliseconds>(took);
  pipeline_.Report(operation_, record_, retry_ + 1, Status(), RetryDecision::kNone, {}, took,
                   started_);
}

CallPipeline::Call::Next CallPipeline::Call::Failed(Status const& status,
                                                    std::optional<FailureClass> failure_class,
                                                    std::chrono::milliseconds retry_after) {
  auto const took = Clock::now() - attempt_started_;
  spent_ += std::chrono::duration_cast<std::chrono::milliseconds>(took);
  auto const& retry_options = pipeline_.options_.retry;
  bool const write = IsWrite(operation_);
  auto const failure = failure_class.value_or(ClassifyStatus(status));
  auto const rule = RuleFor(failure);
  if (failure != FailureClass::kNotDelivered) nothing_arrived_ = false;
  Next next;
  next.status = ApplyOutcome(status, operation_, rule);
  last_failed_ = next.status;
  // A cancelled call makes no further attempt: its failure is its outcome.
  bool const retryable = (write ? rule.retry_write : rule.retry_read) && !cancelled();
  bool const switch_host = retryable && pipeline_.failover() && !on_backup_ &&
                           (write ? rule.failover_write && nothing_arrived_ : rule.failover_read);
  if (!retryable || retry_ >= retry_options.max_retries) {
    pipeline_.Report(operation_, record_, retry_ + 1, next.status,
                     retryable ? RetryDecision::kOutOfRetries : RetryDecision::kNotRetryable, {},
                     took, started_);
    return next;
  }
  // Another host owes the primary's backoff nothing: the switch is made at once.
  auto const delay = switch_host ? std::chrono::milliseconds(0)
                                 : BackoffDelay(retry_options, retry_, RandomJitter(), retry_after);
  if (!RetryFitsBudget(*timeouts_, spent_, delay)) {
    pipeline_.LogNoTime(label_, next.status, *timeouts_);
    pipeline_.Report(operation_, record_, retry_ + 1, next.status, RetryDecision::kOutOfTime, {},
                     took, started_);
    return next;
  }
  pipeline_.LogRetry(label_, next.status, retry_, delay, switch_host);
  if (switch_host) on_backup_ = true;
  pipeline_.Report(operation_, record_, retry_ + 1, next.status, RetryDecision::kRetrying, delay,
                   took, std::nullopt);
  ++retry_;
  next.retry = true;
  next.delay = delay;
  return next;
}

Status CallPipeline::Call::Cancelled() {
  ErrorInfo info;
  std::string message = "the call was cancelled before ";
  if (retry_ == 0) {
    message += "it was sent; nothing was sent";
  } else {
    info = last_failed_.info();
    message += "retry " + std::to_string(retry_) +
               " (the last attempt failed: " + last_failed_.message() + ")";
  }
  Status status(StatusCode::kCancelled, std::move(message), std::move(info));
  pipeline_.Report(operation_, {}, 0, status, RetryDecision::kNotRetryable, {}, {}, started_);
  return status;
}

std::chrono::system_clock::time_point CallPipeline::Now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

void CallPipeline::Log(LogLevel level, std::string const& line) const {
  if (options_.logger) options_.logger(level, line);
}

void CallPipeline::Sleep(std::chrono::milliseconds delay) const {
  if (options_.sleep) {
    options_.sleep(delay);
  } else {
    std::this_thread::sleep_for(delay);
  }
}

void CallPipeline::Report(Operation operation, AttemptRecord const& record, int attempt,
                          Status const& status, RetryDecision decision,
                          std::chrono::milliseconds delay,
                          std::chrono::steady_clock::duration attempt_latency,
                          std::optional<std::chrono::steady_clock::time_point> call_started) const {
  if (!reporting()) return;
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  RequestEvent event = MakeRequestEvent(operation, record, attempt, status);
  event.retry = decision;
  event.retry_delay = delay;
  event.attempt_latency = duration_cast<microseconds>(attempt_latency);
  if (call_started) {
    event.final = true;
    event.call_latency =
        duration_cast<microseconds>(std::chrono::steady_clock::now() - *call_started);
  }
  // The hook is the application's code: nothing it throws may turn a call's result into an
  // exception (errors are values) or skip the rest of the call.
  try {
    options_.on_request(event);
  } catch (...) {  // NOLINT(bugprone-empty-catch): documented, the hook cannot break a call
  }
}

void CallPipeline::LogRetry(std::string_view label, Status const& failed, int retry,
                            std::chrono::milliseconds delay, bool to_backup) const {
  if (!logging()) return;
  Log(LogLevel::kInfo, std::string(label) + " failed (" + failed.ToString() + "); retry " +
                           std::to_string(retry + 1) + " of " +
                           std::to_string(options_.retry.max_retries) +
                           (to_backup ? " on the backup domain " + backup_host_ : std::string()) +
                           " in " + std::to_string(delay.count()) + " ms");
}

void CallPipeline::LogNoTime(std::string_view label, Status const& failed,
                             Timeouts const& timeouts) const {
  if (!logging()) return;
  Log(LogLevel::kInfo, std::string(label) + " failed (" + failed.ToString() +
                           "); no retry: the call's timeout of " +
                           std::to_string(timeouts.total.count()) + " ms leaves no time");
}

}  // namespace wechatpay::internal
