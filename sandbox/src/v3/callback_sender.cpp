// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/callback_sender.hpp"

#include <algorithm>
#include <array>

#include "http/json_util.hpp"
#include "state/random_ids.hpp"

namespace wechatpay::sandbox::internal {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// "15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h – 总计 24h4m": the waits after the
// first delivery and each retry, so a notification is sent at most 16 times.
std::array<milliseconds, 15> const kRetrySchedule = {
    seconds(15), seconds(15), seconds(30), minutes(3),  minutes(10),
    minutes(20), minutes(30), minutes(30), minutes(30), minutes(60),
    hours(3),    hours(3),    hours(3),    hours(6),    hours(6)};
constexpr milliseconds kAnswerDeadline = seconds(5);
constexpr milliseconds kMinimumAnswerTimeout = seconds(1);
constexpr std::size_t kAnswerExcerpt = 512;

}  // namespace

struct CallbackSender::Pending {
  Notification notification;
  std::string id;
  std::string body;
  int attempt = 0;
};

std::chrono::milliseconds CallbackSender::AnswerTimeout() const {
  return std::max(scale_.Real(kAnswerDeadline), kMinimumAnswerTimeout);
}

void CallbackSender::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  transport_.reset();
}

void CallbackSender::Send(Notification const& notification) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!transport_) return;
  }
  auto pending = std::make_shared<Pending>();
  pending->notification = notification;
  pending->id = RandomUuid();
  // The same envelope on every attempt (WeChat resends the notification it made); only the
  // signature headers are fresh each time. The nonce is 12 characters, the AES-GCM IV size.
  std::string const nonce = RandomAlnum(12);
  std::string const ciphertext =
      cipher_.Encrypt(nonce, notification.original_type, notification.plaintext).value();
  std::string const resource = JsonObject()
                                   .Str("original_type", notification.original_type)
                                   .Str("algorithm", "AEAD_AES_256_GCM")
                                   .Str("ciphertext", ciphertext)
                                   .Str("associated_data", notification.original_type)
                                   .Str("nonce", nonce)
                                   .Build();
  pending->body = JsonObject()
                      .Str("id", pending->id)
                      .Str("create_time", Rfc3339China(SystemClock::now()))
                      .Str("resource_type", "encrypt-resource")
                      .Str("event_type", notification.event_type)
                      .Str("summary", notification.summary)
                      .Raw("resource", resource)
                      .Build();
  scheduler_.Schedule(milliseconds(0), [this, pending] { Attempt(pending); });
}

void CallbackSender::Attempt(std::shared_ptr<Pending> const& pending) {
  std::shared_ptr<HttpTransport> transport;
  {
    std::lock_guard<std::mutex> lock(mu_);
    transport = transport_;
  }
  if (!transport) return;
  ++pending->attempt;
  auto const now = SystemClock::now();
  HttpRequest request;
  request.method = "POST";
  request.url = pending->notification.url;
  request.body = pending->body;
  request.timeout = AnswerTimeout();
  request.connect_timeout = AnswerTimeout();
  request.headers.Add("Content-Type", "application/json");
  request.headers.Add("Accept", "*/*");
  request.headers.Add("User-Agent", "Mozilla/4.0");
  request.headers.Add("Request-ID", MakeRequestId(0));
  signer_.SignCallback(pending->body, UnixSeconds(now), request.headers);

  DeliveryRecord record;
  record.notification_id = pending->id;
  record.event_type = pending->notification.event_type;
  record.url = pending->notification.url;
  record.attempt = pending->attempt;
  record.sent_at = Rfc3339China(now);
  auto answer = transport->Send(request);
  if (answer) {
    record.status = answer->status_code;
    record.answer = answer->body.substr(0, kAnswerExcerpt);
  } else {
    record.error = answer.status().message();
  }
  stats_.CountCallback(record.status);
  bool const delivered = record.status >= 200 && record.status < 300;
  recorder_(pending->notification.out_trade_no, std::move(record));
  if (delivered) return;
  auto const retry = static_cast<std::size_t>(pending->attempt - 1);
  if (retry >= kRetrySchedule.size()) return;  // WeChat gives up after 24h4m
  scheduler_.Schedule(scale_.Real(kRetrySchedule[retry]), [this, pending] { Attempt(pending); });
}

}  // namespace wechatpay::sandbox::internal
