// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Callback (notification) delivery as WeChat Pay does it (docs/protocol.md, "Notifications"): the
// envelope with the plaintext encrypted by AEAD_AES_256_GCM under the APIv3 key, signed headers
// with a fresh timestamp per attempt, a Request-ID; any answer other than 2xx, or none within 5 s,
// is retried on WeChat's schedule 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h, every
// interval multiplied by --time-scale.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "http/stats.hpp"
#include "state/clock.hpp"
#include "state/order_book.hpp"
#include "state/order_model.hpp"
#include "state/scheduler.hpp"
#include "v3/response_signer.hpp"
#include "wechatpay/http/transport.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"

namespace wechatpay::sandbox::internal {

/// Delivers notifications.
///
/// @par Thread Safety
/// Send() is safe from many threads. The scheduler must be stopped before this is destroyed.
class CallbackSender {
 public:
  /// Where each attempt is recorded (the order's delivery log).
  using Recorder = std::function<void(std::string const& out_trade_no, DeliveryRecord record)>;

  CallbackSender(Scheduler& scheduler, TimeScale scale, ResponseSigner const& signer,
                 AesGcmCipher cipher, std::shared_ptr<HttpTransport> transport,
                 StatsCounters& stats, Recorder recorder)
      : scheduler_(scheduler),
        scale_(scale),
        signer_(signer),
        cipher_(std::move(cipher)),
        transport_(std::move(transport)),
        stats_(stats),
        recorder_(std::move(recorder)) {}

  /// Encrypts `notification` and schedules its first delivery now (nothing after Shutdown()).
  void Send(Notification const& notification);

  /// Stops delivering and releases the transport, closing its keep-alive connections (one of
  /// them may hold a worker of the sandbox's own server, for the notify sink). Call after the
  /// scheduler has stopped.
  void Shutdown();

  /// How long a receiver has to answer: 5 s of WeChat time, but at least 1 s of real time, so
  /// that a tiny time scale does not turn a healthy loopback receiver into a timeout.
  std::chrono::milliseconds AnswerTimeout() const;

 private:
  struct Pending;
  void Attempt(std::shared_ptr<Pending> const& pending);

  Scheduler& scheduler_;
  TimeScale const scale_;
  ResponseSigner const& signer_;
  AesGcmCipher const cipher_;
  mutable std::mutex mu_;
  std::shared_ptr<HttpTransport> transport_;  // null after Shutdown()
  StatsCounters& stats_;
  Recorder const recorder_;
};

}  // namespace wechatpay::sandbox::internal
