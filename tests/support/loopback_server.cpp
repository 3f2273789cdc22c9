// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/loopback_server.hpp"

#include <sys/socket.h>

#include <stdexcept>
#include <utility>

namespace wechatpay::testing {
namespace {

// cpp-httplib 0.11 has no accept hook (its socket-options callback runs for the listening
// socket only), but its accept loop enqueues exactly one task per accepted socket on the queue
// that Server::new_task_queue makes. Counting enqueue() calls counts connections.
class CountingTaskQueue : public httplib::TaskQueue {
 public:
  CountingTaskQueue(std::size_t threads, std::shared_ptr<std::atomic<std::size_t>> counter)
      : pool_(threads), counter_(std::move(counter)) {}

  void enqueue(std::function<void()> fn) override {
    counter_->fetch_add(1);
    pool_.enqueue(std::move(fn));
  }
  void shutdown() override { pool_.shutdown(); }
  void on_idle() override { pool_.on_idle(); }

 private:
  httplib::ThreadPool pool_;
  std::shared_ptr<std::atomic<std::size_t>> counter_;
};

std::unique_ptr<httplib::Server> MakeServer(LoopbackServer::Options const& options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    throw std::runtime_error("LoopbackServer: set both tls_cert_file and tls_key_file, or none");
  }
  if (options.tls_cert_file.empty()) return std::make_unique<httplib::Server>();
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  return std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(),
                                              options.tls_key_file.c_str());
#else
  throw std::runtime_error("LoopbackServer: cpp-httplib was built without OpenSSL support");
#endif
}

}  // namespace

LoopbackServer::LoopbackServer() : LoopbackServer(Options{}) {}

LoopbackServer::LoopbackServer(Options options)
    : options_(std::move(options)),
      http_(MakeServer(options_)),
      accepted_(std::make_shared<std::atomic<std::size_t>>(0)) {
  // Without TCP_NODELAY the server's separate writes of headers and body meet the client's
  // delayed ACK: ~40 ms per response. Accepted sockets inherit it from the listening socket.
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(options_.keep_alive_max_count);
  http_->set_keep_alive_timeout(static_cast<time_t>(options_.keep_alive_timeout.count()));
  // cpp-httplib listens with a backlog of 5 (compiled into Debian's library): a client that
  // opens dozens of connections at once (the asynchronous transport's 64 transfers) then has
  // SYNs dropped and waits 1 s, 3 s, ... for the retransmissions. The listening socket is
  // remembered here, and Start() listens again with the system's maximum.
  http_->set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd_ = static_cast<int>(sock);
  });
  http_->new_task_queue = [threads = options_.worker_threads, counter = accepted_] {
    return new CountingTaskQueue(threads, counter);
  };
}

LoopbackServer::~LoopbackServer() { Stop(); }

void LoopbackServer::Start() {
  if (running_.load() || thread_.joinable()) {
    throw std::runtime_error("LoopbackServer: already started");
  }
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopping_) throw std::runtime_error("LoopbackServer: a stopped server cannot restart");
  }
  if (!http_->is_valid()) {
    throw std::runtime_error("LoopbackServer: server is not valid (bad TLS certificate or key?)");
  }
  int const port = http_->bind_to_any_port(host());
  if (port <= 0) throw std::runtime_error("LoopbackServer: cannot bind 127.0.0.1");
  port_ = port;
  // Linux takes a second listen() on a listening socket as a new backlog.
  if (listen_fd_ >= 0 && ::listen(listen_fd_, SOMAXCONN) != 0) {
    throw std::runtime_error("LoopbackServer: cannot enlarge the listen backlog");
  }
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // listen_after_bind() sets is_running() before its accept loop; connections made earlier
  // would still queue in the backlog, but callers expect a server that is fully up.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!http_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      http_->stop();
      thread_.join();
      throw std::runtime_error("LoopbackServer: the server thread did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  running_.store(true);
}

void LoopbackServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) {
    http_->stop();
    thread_.join();
  }
  running_.store(false);
}

std::string LoopbackServer::BaseUrl() const {
  std::string const scheme = options_.tls_cert_file.empty() ? "http" : "https";
  return scheme + "://" + host() + ":" + std::to_string(port_);
}

bool LoopbackServer::WaitForStop(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(stop_mu_);
  return stop_cv_.wait_for(lock, timeout, [this] { return stopping_; });
}

}  // namespace wechatpay::testing
