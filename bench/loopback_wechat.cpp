// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "loopback_wechat.hpp"

#include <httplib.h>

#include <chrono>
#include <functional>
#include <utility>

namespace wechatpay::bench {
namespace {

std::int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// cpp-httplib 0.11 has no accept hook, but its accept loop hands each accepted socket to the
// task queue exactly once: counting enqueue() calls counts TCP connections.
class CountingQueue : public httplib::TaskQueue {
 public:
  CountingQueue(std::size_t threads, std::shared_ptr<std::atomic<std::size_t>> counter)
      : pool_(threads), counter_(std::move(counter)) {}
  void enqueue(std::function<void()> fn) override {
    counter_->fetch_add(1);
    pool_.enqueue(std::move(fn));
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::shared_ptr<std::atomic<std::size_t>> counter_;
};

}  // namespace

LoopbackWeChat::LoopbackWeChat(PrivateKey wechat_key)
    : wechat_key_(std::move(wechat_key)),
      server_(std::make_unique<httplib::Server>()),
      connections_(std::make_shared<std::atomic<std::size_t>>(0)) {
  // Without TCP_NODELAY the server's separate header and body writes meet the client's
  // delayed ACK: 40 ms of idle time per request (not CPU, but it makes the run slow).
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(1000000);
  server_->set_keep_alive_timeout(30);
  server_->new_task_queue = [counter = connections_] { return new CountingQueue(4, counter); };
  server_->Post("/v3/pay/transactions/native",
                [this](httplib::Request const&, httplib::Response& res) {
                  SignedMessage const answer = CurrentAnswer();
                  for (auto const& [name, value] : answer.headers) {
                    if (name != "Content-Type") res.set_header(name.c_str(), value);
                  }
                  res.status = 200;
                  res.set_content(answer.body, "application/json");
                });
}

LoopbackWeChat::~LoopbackWeChat() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void LoopbackWeChat::Start() {
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    std::fprintf(stderr, "wechatpay_bench: cannot bind 127.0.0.1\n");
    std::exit(2);
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

std::string LoopbackWeChat::BaseUrl() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

SignedMessage LoopbackWeChat::CurrentAnswer() {
  std::lock_guard<std::mutex> lock(mu_);
  auto const now = UnixSeconds();
  if (now - signed_at_ >= 30) {
    answer_ = SignAsWeChat(wechat_key_, kAnswerBody, now);
    signed_at_ = now;
  }
  return answer_;
}

}  // namespace wechatpay::bench
