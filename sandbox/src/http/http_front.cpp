// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// How the below-HTTP faults are done with cpp-httplib, whose handlers cannot refuse to answer:
// - drop: the handler shuts the connection's socket down (both directions) before cpp-httplib
//   writes anything; its write then fails and it closes the connection, so the client sees the
//   connection end with no answer. The socket comes from the request's SSL object with TLS, and
//   from matching the request's local and remote ports against this process's sockets with
//   plain HTTP (cpp-httplib does not expose it). Writing to a shut-down socket raises SIGPIPE,
//   which is blocked in the server's threads.
// - truncate: the answer goes out through a content provider announcing the body plus 64 bytes;
//   the provider writes the body, then reports failure, and cpp-httplib closes the connection.
// - endless-body: a chunked content provider writes the body, then 64 KiB of spaces per call
//   until a write fails (the client is gone) or the safety bound is reached; it then reports
//   failure, so cpp-httplib closes the connection without the last chunk.
#include "http/http_front.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>

#include <cstdlib>
#include <exception>
#include <utility>

#include "common/listen_failure.hpp"
#include "common/signals.hpp"
#include "http/httplib_headers.hpp"
#include "http/json_util.hpp"
#include "http/worker_pool.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::size_t kTruncateMissingBytes = 64;

// cpp-httplib's accept loop enqueues exactly one task per accepted socket (the task serves the
// connection until it ends).
class CountingTaskQueue : public httplib::TaskQueue {
 public:
  CountingTaskQueue(std::size_t threads, StatsCounters& stats) : pool_(threads), stats_(stats) {}
  void enqueue(std::function<void()> fn) override {
    stats_.CountConnection();
    pool_.Submit(std::move(fn));
  }
  void shutdown() override { pool_.Shutdown(); }

 private:
  WorkerPool pool_;
  StatsCounters& stats_;
};

int TlsStatsIndex() {
  static int const index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// OpenSSL reports SSL_CB_HANDSHAKE_DONE once per completed handshake (full or resumed).
void OnTlsInfo(SSL const* ssl, int where, int /*ret*/) {
  if ((where & SSL_CB_HANDSHAKE_DONE) == 0) return;
  auto* stats =
      static_cast<StatsCounters*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), TlsStatsIndex()));
  if (stats != nullptr) stats->CountHandshake();
}

int PortOf(sockaddr_storage const& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in const&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6 const&>(address).sin6_port);
  }
  return -1;
}

// The socket of a plain-HTTP request: the one whose local and remote ports are the request's.
int FindSocket(int local_port, int remote_port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int found = -1;
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    long const fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_size = sizeof local;
    socklen_t peer_size = sizeof peer;
    int const socket = static_cast<int>(fd);
    if (::getsockname(socket, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
        ::getpeername(socket, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) {
      continue;
    }
    if (PortOf(local) == local_port && PortOf(peer) == remote_port) {
      found = socket;
      break;
    }
  }
  ::closedir(dir);
  return found;
}

void DropConnection(httplib::Request const& request) {
  int const socket = request.ssl != nullptr ? SSL_get_fd(request.ssl)
                                            : FindSocket(request.local_port, request.remote_port);
  if (socket >= 0) ::shutdown(socket, SHUT_RDWR);
}

Inbound ToInbound(httplib::Request const& request) {
  Inbound inbound;
  inbound.method = request.method;
  inbound.target = request.target;
  inbound.path = request.path;
  for (auto const& [name, value] : request.params) inbound.params.emplace(name, value);
  inbound.headers = wechatpay::internal::FromHttplibHeaders(request.headers);
  inbound.body = request.body;
  return inbound;
}

void WriteAnswer(Answer const& answer, HttpFront::Delivery delivery, httplib::Response& response) {
  response.status = answer.status;
  for (auto const& [name, value] : answer.headers) response.set_header(name, value);
  if (delivery == HttpFront::Delivery::kTruncate) {
    auto body = std::make_shared<std::string>(answer.body);
    response.set_content_provider(
        body->size() + kTruncateMissingBytes, answer.content_type,
        [body](std::size_t offset, std::size_t /*length*/, httplib::DataSink& sink) {
          if (offset >= body->size()) return false;  // announced bytes that never come
          sink.write(body->data() + offset, body->size() - offset);
          return true;
        });
    return;
  }
  if (delivery == HttpFront::Delivery::kEndlessBody) {
    auto body = std::make_shared<std::string>(answer.body);
    response.set_chunked_content_provider(
        answer.content_type, [body](std::size_t offset, httplib::DataSink& sink) {
          if (offset >= HttpFront::kEndlessBodyMaxBytes) return false;
          if (offset < body->size())
            return sink.write(body->data() + offset, body->size() - offset);
          // JSON whitespace: the body stays a valid JSON prefix however far a client reads.
          static std::string const kSpaces(64 * 1024, ' ');
          return sink.write(kSpaces.data(), kSpaces.size());
        });
    return;
  }
  if (!answer.body.empty()) response.set_content(answer.body, answer.content_type);
}

}  // namespace

HttpFront::HttpFront(Options options, StatsCounters& stats, Handler handler)
    : options_(std::move(options)), stats_(stats), handler_(std::move(handler)) {}

HttpFront::~HttpFront() { Stop(); }

Status HttpFront::Start() {
  bool const tls = !options_.cert_file.empty();
  if (tls) {
    auto server =
        std::make_unique<httplib::SSLServer>(options_.cert_file.c_str(), options_.key_file.c_str());
    if (!server->is_valid()) {
      return Status(
          StatusCode::kConfiguration,
          "sandbox: cannot serve HTTPS with " + options_.cert_file + " and " + options_.key_file);
    }
    SSL_CTX* ctx = server->ssl_context();
    SSL_CTX_set_ex_data(ctx, TlsStatsIndex(), &stats_);
    SSL_CTX_set_info_callback(ctx, &OnTlsInfo);
    server_ = std::move(server);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(options_.keep_alive_max_count);
  server_->set_keep_alive_timeout(static_cast<time_t>(options_.keep_alive_timeout.count()));
  server_->set_read_timeout(options_.read_timeout);
  // A longer Content-Length body is read through without being kept, and answered 413.
  server_->set_payload_max_length(options_.max_body_bytes);
  server_->new_task_queue = [threads = options_.worker_threads, &stats = stats_] {
    return new CountingTaskQueue(threads, stats);
  };
  auto handle = [this](httplib::Request const& request, httplib::Response& response) {
    Reply reply = handler_(ToInbound(request));
    if (reply.delivery == Delivery::kDrop) {
      DropConnection(request);
      response.status = 500;  // never reaches the client: the socket is shut down
      return;
    }
    WriteAnswer(reply.answer, reply.delivery, response);
  };
  // Every path and method goes to the handler, which routes by itself (one place for faults,
  // Request-ID and counting).
  constexpr char kAnyPath[] = R"([\s\S]*)";
  server_->Get(kAnyPath, handle);
  server_->Post(kAnyPath, handle);
  server_->Put(kAnyPath, handle);
  server_->Patch(kAnyPath, handle);
  server_->Delete(kAnyPath, handle);
  server_->Options(kAnyPath, handle);
  // Answered before cpp-httplib tries to read a body:
  // - a body without a Content-Length (Transfer-Encoding: chunked): cpp-httplib 0.11 applies
  //   payload_max_length to Content-Length bodies only and would keep a chunked one whole,
  //   however long. 411, which the error handler words; the SDK never sends one.
  // - a request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3), as
  //   `curl -X POST URL` sends it; cpp-httplib 0.11 would instead read a POST's body until the
  //   connection closes and answer 400 after its read timeout.
  server_->set_pre_routing_handler(
      [handle](httplib::Request const& request, httplib::Response& response) {
        if (request.has_header("Transfer-Encoding")) {
          response.status = 411;
          return httplib::Server::HandlerResponse::Handled;
        }
        bool const may_have_body = request.method == "POST" || request.method == "PUT" ||
                                   request.method == "PATCH" || request.method == "DELETE";
        if (!may_have_body || request.has_header("Content-Length")) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        handle(request, response);
        return httplib::Server::HandlerResponse::Handled;
      });
  // Errors cpp-httplib answers by itself (a malformed request line, a body over the limit, …)
  // carry a Request-ID and a WeChat-style body too; the sandbox's own answers already have one.
  server_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](httplib::Request const&, httplib::Response& response) {
        if (response.has_header("Request-ID") || response.has_header("X-Request-Id")) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        response.set_header("Request-ID", MakeRequestId(0));
        response.set_content(
            R"({"code":"INVALID_REQUEST","message":"HTTP 请求不符合微信支付 APIv3 接口规则"})",
            "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_->set_exception_handler(
      [](httplib::Request const&, httplib::Response& response, std::exception_ptr) {
        response.status = 500;
        response.set_header("Request-ID", MakeRequestId(0));
        response.set_content(R"({"code":"SYSTEM_ERROR","message":"系统异常，请稍后重试"})",
                             "application/json");
      });

  int const port = options_.port == 0
                       ? server_->bind_to_any_port(options_.host)
                       : (server_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0) {
    std::string const reason = wechatpay::internal::ListenFailure(options_.host, options_.port);
    return Status(StatusCode::kTransport, "sandbox: cannot listen on " + options_.host + ":" +
                                              std::to_string(options_.port) +
                                              (reason.empty() ? "" : ": " + reason));
  }
  port_ = port;
  thread_ = std::thread([this] {
    // The worker threads are created by this thread's task queue and inherit its mask.
    wechatpay::internal::BlockSignals({SIGPIPE});
    server_->listen_after_bind();
  });
  // cpp-httplib 0.11 offers no readiness notification; is_running() turns true just before
  // its accept loop, which this waits for (bounded, at start-up only).
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      Stop();
      return Status(StatusCode::kInternal, "sandbox: the server thread did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status();
}

void HttpFront::Stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

}  // namespace wechatpay::sandbox::internal
