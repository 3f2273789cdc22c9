// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Misbehaving peers on 127.0.0.1, written with plain POSIX sockets, for the failure paths a
// real HTTP server library will not produce: a refused connection, a server that drops the
// connection after reading the request, a listener that never completes a handshake, a server
// that answers with exactly the bytes a test scripts (endless bodies, huge headers); and on the
// client side, connections that are slow, idle or never let go of a server's thread.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace wechatpay::testing {

/// A 127.0.0.1 port on which nothing listens (bound to an ephemeral port, then closed), so a
/// connection to it is refused. Another process could take the port in between; for tests the
/// window is negligible.
int ClosedLoopbackPort();

/// Accepts connections on 127.0.0.1, reads one complete HTTP/1.1 request from each (the header
/// block and a Content-Length body) and closes the connection without answering: a server that
/// received, and possibly applied, the request but whose answer never arrived. Or, with
/// Drop::kResetAfterHeaders, reads the header block only and resets the connection: a body
/// larger than the socket buffers then cannot leave whole.
///
/// @par Thread Safety
/// Accessors may be called from any thread.
class DropAfterRequestServer {
 public:
  /// When the connection is dropped.
  enum class Drop { kAfterRequest, kResetAfterHeaders };
  /// Binds and starts accepting on a background thread. Throws std::runtime_error on failure.
  explicit DropAfterRequestServer(Drop when = Drop::kAfterRequest);
  /// Stops accepting and joins the thread.
  ~DropAfterRequestServer();
  DropAfterRequestServer(DropAfterRequestServer const&) = delete;
  DropAfterRequestServer& operator=(DropAfterRequestServer const&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port>".
  std::string BaseUrl() const;
  /// Requests read (and dropped) so far: complete ones, or header blocks with kResetAfterHeaders.
  std::size_t requests_received() const { return requests_received_.load(); }
  /// The raw bytes of the last complete request, exactly as they arrived: for assertions on
  /// the wire format that an HTTP server library would normalize away.
  std::string last_request() const;

 private:
  void Run();

  Drop const when_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> requests_received_{0};
  mutable std::mutex mu_;
  std::string last_request_;
  std::thread thread_;
};

/// One keep-alive connection on 127.0.0.1: its first request is answered (200, "ok"), the
/// second is read whole and the connection closed without an answer — a server that applied a
/// request and died — and the listener is closed once the connection is accepted, so the
/// re-send libcurl makes on a new connection is refused.
///
/// @par Thread Safety
/// Accessors may be called from any thread.
class AnswerOnceThenDropServer {
 public:
  /// Binds and starts accepting on a background thread. Throws std::runtime_error on failure.
  AnswerOnceThenDropServer();
  /// Joins the thread.
  ~AnswerOnceThenDropServer();
  AnswerOnceThenDropServer(AnswerOnceThenDropServer const&) = delete;
  AnswerOnceThenDropServer& operator=(AnswerOnceThenDropServer const&) = delete;

  /// "http://127.0.0.1:<port>".
  std::string BaseUrl() const;
  /// Complete requests read so far (at most 2).
  std::size_t requests_received() const { return requests_received_.load(); }

 private:
  void Run();

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> requests_received_{0};
  std::thread thread_;
};

/// Answers each request on 127.0.0.1 with scripted bytes: `head` (status line and header block,
/// blank line included), then `body`, then — when `repeat` is not empty — `repeat` again and
/// again until the client stops reading or `max_bytes` of body were written, and closes the
/// connection. An endless answer: a chunked `head` with one chunk as `repeat`, or a
/// Content-Length far beyond what is ever sent.
///
/// The accepted socket's send buffer is kept small, so the bytes this server managed to write
/// exceed what the client actually read by little more than the client's receive buffer.
///
/// @par Thread Safety
/// Accessors may be called from any thread.
class ScriptedAnswerServer {
 public:
  /// What every request gets.
  struct Script {
    std::string head;
    std::string body;
    std::string repeat;
    /// Body bytes (after `head`) after which even an endless answer stops.
    std::size_t max_bytes = std::size_t{256} * 1024 * 1024;
    /// After the last byte, keep the connection open until the client closes it (at most 10 s)
    /// instead of closing it at once.
    bool hold_open = false;
  };

  /// Binds and starts accepting on a background thread. Throws std::runtime_error on failure.
  explicit ScriptedAnswerServer(Script script);
  /// Stops accepting and joins the thread.
  ~ScriptedAnswerServer();
  ScriptedAnswerServer(ScriptedAnswerServer const&) = delete;
  ScriptedAnswerServer& operator=(ScriptedAnswerServer const&) = delete;

  /// "http://127.0.0.1:<port>".
  std::string BaseUrl() const;
  /// Requests answered (completely or not) so far.
  std::size_t answers() const { return answers_.load(); }
  /// Body bytes written on the last connection before it ended.
  std::size_t last_body_bytes_written() const { return last_body_bytes_.load(); }
  /// True when the client closed the last connection while body bytes were still due (a write
  /// failed), false when the server wrote everything, `max_bytes` included.
  bool last_client_hung_up() const { return last_hung_up_.load(); }

 private:
  void Run();
  void Answer(int fd);

  Script const script_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> answers_{0};
  std::atomic<std::size_t> last_body_bytes_{0};
  std::atomic<bool> last_hung_up_{false};
  std::thread thread_;
};

/// A listening socket on 127.0.0.1 whose accept queue is full and never drained, so the kernel
/// drops new SYNs and connecting to it times out (the connect phase, before any request byte).
/// Relies on Linux's behaviour for a backlog of 0: the queue holds one connection, which the
/// constructor fills.
class UnresponsiveListener {
 public:
  /// Throws std::runtime_error on failure.
  UnresponsiveListener();
  ~UnresponsiveListener();
  UnresponsiveListener(UnresponsiveListener const&) = delete;
  UnresponsiveListener& operator=(UnresponsiveListener const&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port>".
  std::string BaseUrl() const;

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<int> fillers_;
};

/// A blocking TCP connection to 127.0.0.1:`port` (SIGPIPE-free writes: use send() with
/// MSG_NOSIGNAL). Throws std::runtime_error when it cannot connect.
int ConnectLoopback(int port);

/// Reads from `fd` until `marker` has arrived, the peer closed the connection or `timeout`
/// passed; returns everything read (the marker included, and whatever came with it).
std::string ReadUntil(int fd, std::string_view marker, std::chrono::milliseconds timeout);

/// Connections to 127.0.0.1:`port` held open the way slow or idle clients hold them: on
/// connecting and then every `interval`, each connection sends the next `chunk` bytes of
/// `script`, starting over once all of it was sent; an empty script sends nothing. One background
/// thread drives them all; what the server sends back is read and dropped, and a connection the
/// server closes is noticed.
///
/// - slow loris: a request head that never ends (e.g. an endless header), one byte at a time;
/// - idle client: an empty script;
/// - busy keep-alive client: a whole request as the script and the chunk, repeated.
///
/// @par Thread Safety
/// Accessors may be called from any thread.
class PacedClients {
 public:
  /// Connects all `count` connections before returning. Throws std::runtime_error when one
  /// cannot connect.
  PacedClients(int port, std::size_t count, std::string script, std::size_t chunk,
               std::chrono::milliseconds interval);
  /// Stops sending and closes every connection.
  ~PacedClients();
  PacedClients(PacedClients const&) = delete;
  PacedClients& operator=(PacedClients const&) = delete;

  /// Connections made.
  std::size_t count() const { return fds_.size(); }
  /// Connections the server has closed (or reset) so far.
  std::size_t closed() const { return closed_.load(); }
  /// Bytes the server has sent on all connections so far.
  std::size_t bytes_received() const { return bytes_received_.load(); }

 private:
  // Sends connection i's next chunk when it is due; false when the connection is gone.
  bool SendNext(std::size_t i);
  void Run();

  std::string script_;
  std::size_t chunk_;
  std::chrono::milliseconds interval_;
  // Per connection; after the constructor, touched by the background thread only.
  std::vector<int> fds_;
  std::vector<std::size_t> sent_;  // position in the script
  std::vector<std::chrono::steady_clock::time_point> next_send_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> closed_{0};
  std::atomic<std::size_t> bytes_received_{0};
  std::thread thread_;
};

/// A forward proxy on 127.0.0.1, HTTP CONNECT only, the way a corporate proxy carries HTTPS: it
/// reads the CONNECT request head, answers 407 when `required_authorization` (a whole
/// Proxy-Authorization value, e.g. "Basic dXNlcjpwYXNz") is set and not sent, and otherwise
/// opens a tunnel and relays bytes both ways until either side closes. Every CONNECT target
/// host:port is reached at 127.0.0.1:port: names resolve to loopback here, so a test can give a
/// local server a non-loopback name (which the curl transport sends through a proxy; loopback
/// hosts never are) and a certificate for that name. One thread per tunnel.
///
/// @par Thread Safety
/// Accessors may be called from any thread.
class ConnectProxy {
 public:
  /// Binds and starts accepting on a background thread. Throws std::runtime_error on failure.
  explicit ConnectProxy(std::string required_authorization = "");
  /// Stops accepting, ends every tunnel and joins the threads.
  ~ConnectProxy();
  ConnectProxy(ConnectProxy const&) = delete;
  ConnectProxy& operator=(ConnectProxy const&) = delete;

  int port() const { return port_; }
  /// "http://" + `user_info` + "@" (when given) + "127.0.0.1:<port>".
  std::string Url(std::string const& user_info = "") const;
  /// The CONNECT request heads received (request line and headers, as sent), in order.
  std::vector<std::string> requests() const;
  /// Tunnels opened (CONNECT accepted and the target reached).
  std::size_t tunnels() const { return tunnels_.load(); }

 private:
  void Run();
  void Serve(int fd);

  std::string required_authorization_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> tunnels_{0};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::vector<std::thread> workers_;
  std::thread thread_;
};

}  // namespace wechatpay::testing
