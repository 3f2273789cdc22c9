// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "http/stats.hpp"

#include "http/json_util.hpp"

namespace wechatpay::sandbox::internal {
namespace {

std::string CountsJson(std::map<int, std::size_t> const& counts) {
  JsonObject json;
  for (auto const& [status, count] : counts) {
    json.Int(std::to_string(status), static_cast<std::int64_t>(count));
  }
  return json.Build();
}

}  // namespace

void StatsCounters::CountResponse(int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++responses_[status];
}

void StatsCounters::CountCallback(int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++callbacks_;
  ++callback_answers_[status];
}

Stats StatsCounters::Snapshot() const {
  Stats stats;
  stats.requests = requests_.load();
  stats.tcp_connections = connections_.load();
  stats.tls_handshakes = handshakes_.load();
  stats.faults_applied = faults_.load();
  stats.certificate_downloads = downloads_.load();
  stats.bill_downloads = bill_downloads_.load();
  std::lock_guard<std::mutex> lock(mu_);
  stats.responses = responses_;
  stats.callbacks_sent = callbacks_;
  stats.callback_answers = callback_answers_;
  return stats;
}

void StatsCounters::Reset() {
  requests_ = 0;
  connections_ = 0;
  handshakes_ = 0;
  faults_ = 0;
  downloads_ = 0;
  bill_downloads_ = 0;
  std::lock_guard<std::mutex> lock(mu_);
  responses_.clear();
  callbacks_ = 0;
  callback_answers_.clear();
}

std::string StatsJson(Stats const& stats) {
  auto count = [](std::size_t n) { return static_cast<std::int64_t>(n); };
  return JsonObject()
      .Int("requests", count(stats.requests))
      .Int("tcp_connections", count(stats.tcp_connections))
      .Int("tls_handshakes", count(stats.tls_handshakes))
      .Raw("responses", CountsJson(stats.responses))
      .Int("faults_applied", count(stats.faults_applied))
      .Int("callbacks_sent", count(stats.callbacks_sent))
      .Raw("callback_answers", CountsJson(stats.callback_answers))
      .Int("certificate_downloads", count(stats.certificate_downloads))
      .Int("bill_downloads", count(stats.bill_downloads))
      .Build();
}

}  // namespace wechatpay::sandbox::internal
