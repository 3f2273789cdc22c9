// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// beast_checkout: WeChat Pay Native checkout in a Boost.Beast server. One thread runs the
// io_context and never blocks; the SDK's calls (which block: HTTPS to WeChat, the ledger's
// database) run on a small worker pool and post their result back to it.
//
//   beast_checkout --sandbox [--listen HOST:PORT] [--ledger URL]
//   beast_checkout --config FILE [--notify-url URL] [--listen HOST:PORT] [--ledger URL]
//
//   POST /orders {"description":"...","total":FEN} -> {"out_trade_no":"...","code_url":"..."}
//   GET  /orders/NO            the order as the ledger has it (JSON)
//   GET  /orders/NO/events     Server-Sent Events: the order's ledger state at once, then each
//                              change; the stream ends after a final state (PAID, CLOSED, ...)
//   POST /wechatpay/order      WeChat's callbacks (the notify URL must lead here)
//
// Every change of an order goes through the ledger (the prepay call, the callback, the
// watcher's queries and its close after 10 minutes unpaid), and the event streams are fed by
// the ledger's subscription alone: what a page shows is what the database committed.
// The first stdout line is `listening on URL`; with --sandbox `sandbox URL` and `sandbox CA FILE`
// follow; then `ledger WHERE`. POSIX only.

// Beast's strings as std::string_view (Boost 1.74 defaults to its own string_view); and
// Boost.PropertyTree's use of Boost.Bind without a deprecation note on every build.
#define BOOST_BEAST_USE_STD_STRING_VIEW
#define BOOST_BIND_GLOBAL_PLACEHOLDERS

#include <signal.h>
#include <stdlib.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "listen_error.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/ledger/open.hpp"
#include "wechatpay/ledger/postgres_store.hpp"
#include "wechatpay/ledger/watch_bridge.hpp"
#include "wechatpay/sandbox/sandbox.hpp"
#include "wechatpay/wechatpay.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr char kNotifyPath[] = "/wechatpay/order";
// Everything from the network is bounded. A request (head and body) must arrive within
// kReadTimeout, also the first one on a new or idle connection; an answer or an event must be
// taken by the client within kWriteTimeout. Both also bound how long a slow client holds memory.
constexpr auto kReadTimeout = std::chrono::seconds(5);
constexpr auto kWriteTimeout = std::chrono::seconds(10);
constexpr std::uint32_t kMaxHeaderBytes = 8 * 1024;
constexpr std::uint64_t kMaxOrderBodyBytes = 4 * 1024;  // the callback route: the parser's limit
constexpr std::size_t kMaxConnections = 256;  // also bounds the worker pool's queue: one job each
constexpr std::size_t kMaxStreams = 64, kMaxStreamsPerOrder = 4;
constexpr std::size_t kMaxQueuedEvents = 8;  // a stream whose client reads no more is dropped
constexpr auto kHeartbeat = std::chrono::seconds(15);  // proxies keep idle streams open

constexpr char kUsage[] =
    "usage: beast_checkout --sandbox [--listen HOST:PORT] [--ledger URL]\n"
    "       beast_checkout --config FILE [--notify-url URL] [--listen HOST:PORT] [--ledger URL]\n"
    "  --sandbox          embed the WeChat Pay sandbox, for offline use\n"
    "  --config FILE      the wechatpay CLI's JSON configuration (WECHATPAY_* override it)\n"
    "  --notify-url URL   the public https URL leading to POST /wechatpay/order here\n"
    "                     (default: the configuration's notifyUrl)\n"
    "  --listen HOST:PORT default 127.0.0.1:8080; port 0 picks a free one\n"
    "  --ledger URL       sqlite:PATH or postgresql://... (default: the configuration's ledger,\n"
    "                     else ./beast-checkout-ledger.db; --sandbox: a temporary file)\n";

using Response = http::response<http::string_body>;

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

Response MakeResponse(unsigned status, std::string content_type, std::string body) {
  Response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

Response JsonError(unsigned status, std::string const& message) {
  return MakeResponse(status, "application/json", "{\"error\":" + JsonString(message) + "}");
}

bool IsFinal(wechatpay::LedgerOrderState state) {
  using S = wechatpay::LedgerOrderState;
  return state != S::kCreating && state != S::kNotPaid;
}

// "BEAST" + time for the humans reading the merchant platform + random letters for uniqueness.
std::string NewOutTradeNo() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::random_device device;  // the system's CSPRNG: two servers never pick the same numbers
  std::string out = "BEAST" + std::to_string(std::time(nullptr));
  for (int i = 0; i < 10; ++i) out += kAlphabet[device() % (sizeof kAlphabet - 1)];
  return out;
}

class App;

// An open event stream. It owns the connection; everything runs on the io_context thread.
class EventStream : public std::enable_shared_from_this<EventStream> {
 public:
  EventStream(beast::tcp_stream stream, App& app, std::string no)
      : stream_(std::move(stream)),
        heartbeat_(stream_.get_executor()),
        app_(app),
        no_(std::move(no)) {}
  std::string const& out_trade_no() const { return no_; }
  // The order as read when the stream opened; a newer event that came meanwhile wins.
  void Start(wechatpay::OrderRecord const& order) {
    if (closed_) return;  // shut down meanwhile
    if (order.version > version_) version_ = order.version, state_ = order.state;
    started_ = true;
    Enqueue(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        "Connection: close\r\n\r\nretry: 3000\n\n");
    SendState();
    Beat();
  }
  // A committed change: sent when it changes the state the page has (the watcher's queries
  // also commit, with the state unchanged); an older version than the page's is ignored.
  void Publish(wechatpay::LedgerEvent const& event) {
    if (event.version <= version_) return;
    bool const changed = event.state != state_;
    version_ = event.version, state_ = event.state;
    if (started_ && changed) SendState();
  }
  void Close();

 private:
  void SendState() {
    Enqueue("event: state\ndata: {\"out_trade_no\":" + JsonString(no_) + ",\"state\":\"" +
            std::string(wechatpay::LedgerOrderStateName(state_)) +
            "\",\"version\":" + std::to_string(version_) + "}\n\n");
    if (IsFinal(state_)) ending_ = true;  // nothing can follow: close once it is written
  }
  void Beat() {
    heartbeat_.expires_after(kHeartbeat);
    heartbeat_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      self->Enqueue(": keep-alive\n\n");
      self->Beat();
    });
  }
  void Enqueue(std::string chunk) {
    if (closed_) return;
    if (queue_.size() >= kMaxQueuedEvents) return Close();
    queue_.push_back(std::move(chunk));
    if (queue_.size() == 1) WriteNext();
  }
  void WriteNext() {
    stream_.expires_after(kWriteTimeout);  // per write: Beast times only a pending operation
    asio::async_write(stream_, asio::buffer(queue_.front()),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (self->closed_) return;
                        self->queue_.pop_front();
                        if (ec || (self->queue_.empty() && self->ending_)) return self->Close();
                        if (!self->queue_.empty()) self->WriteNext();
                      });
  }

  beast::tcp_stream stream_;
  asio::steady_timer heartbeat_;
  App& app_;
  std::string const no_;
  std::deque<std::string> queue_;  // the front is being written
  wechatpay::LedgerOrderState state_ = wechatpay::LedgerOrderState::kCreating;
  std::int64_t version_ = -1;
  bool started_ = false, ending_ = false, closed_ = false;
};

// The application: routes, the worker pool and the open event streams. Lives on the io_context
// thread; workers reach it only by posting there.
class App {
 public:
  App(asio::io_context& io, asio::thread_pool& workers, std::size_t& open_connections,
      wechatpay::LedgerClient shop, wechatpay::NotificationHandler handler,
      wechatpay::PaymentWatcher& watcher, std::string notify_url)
      : connections(open_connections),
        io_(io),
        workers_(workers),
        shop_(std::move(shop)),
        handler_(std::move(handler)),
        watcher_(watcher),
        notify_url_(std::move(notify_url)) {}

  // Sessions and streams open: at most kMaxConnections. Outlives the App and the io_context:
  // a session still in the io_context's queue when it stops is destroyed with the io_context.
  std::size_t& connections;

  std::uint64_t BodyLimit(std::string_view target) const {  // the callback's is the largest
    return target == kNotifyPath ? handler_.parser().max_body_bytes() : kMaxOrderBodyBytes;
  }
  // An oversized body, refused before it is read: the callback route answers as the parser
  // would (413 and WeChat's FAIL body).
  Response TooLarge(std::string_view target, std::uint64_t length) const {
    if (target != kNotifyPath) return JsonError(413, "the body is longer than 4096 bytes");
    auto const answer = wechatpay::AnswerFor(handler_.parser().CheckBodySize(length));
    return MakeResponse(answer.status_code, answer.content_type, answer.body);
  }

  // Runs `job` on a worker and hands its answer to `done` on the io_context thread.
  template <typename Job, typename Done>
  void Offload(Job job, Done done) {
    asio::post(workers_, [this, job = std::move(job), done = std::move(done)]() mutable {
      asio::post(io_,
                 [done = std::move(done), answer = job()]() mutable { done(std::move(answer)); });
    });
  }

  // Answers through `reply`, or takes the connection for an event stream.
  template <typename Reply>
  void Route(http::request<http::string_body> req, beast::tcp_stream& stream, Reply reply) {
    std::string const target(req.target());
    bool const post = req.method() == http::verb::post, get = req.method() == http::verb::get;
    if (post && target == kNotifyPath) return Notify(std::move(req), std::move(reply));
    if (post && target == "/orders") return CreateOrder(req.body(), std::move(reply));
    std::string no = target.rfind("/orders/", 0) == 0 ? target.substr(8) : "";
    bool const events = no.size() > 7 && no.compare(no.size() - 7, 7, "/events") == 0;
    if (events) no.resize(no.size() - 7);
    bool const valid = !no.empty() && no.size() <= 32 &&
                       no.find_first_not_of(
                           "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
                           "rstuvwxyz_-|*") == std::string::npos;
    if (!get || !valid) return reply(JsonError(404, "no such route"));
    if (events) return OpenStream(std::move(no), stream, std::move(reply));
    Offload([this, no] { return shop_.ledger()->GetOrder(no); },
            [reply = std::move(reply), no](auto const& order) mutable {
              if (!order.ok()) return reply(JsonError(503, order.status().message()));
              if (!order->has_value()) return reply(JsonError(404, "no such order"));
              reply(MakeResponse(200, "application/json",
                                 "{\"out_trade_no\":" + JsonString(no) + ",\"state\":\"" +
                                     std::string(LedgerOrderStateName((*order)->state)) +
                                     "\",\"version\":" + std::to_string((*order)->version) + "}"));
            });
  }

  // A change committed in the ledger (posted here from the store's thread).
  void OnLedgerEvent(wechatpay::LedgerEvent const& event) {
    auto range = streams_.equal_range(event.out_trade_no);
    for (auto it = range.first; it != range.second;) (it++)->second->Publish(event);
  }
  void Forget(EventStream* stream) {
    auto range = streams_.equal_range(stream->out_trade_no());
    for (auto it = range.first; it != range.second; ++it) {
      if (it->second.get() == stream) {
        streams_.erase(it);
        --connections;
        return;
      }
    }
  }
  void CloseStreams() {
    while (!streams_.empty()) streams_.begin()->second->Close();
  }

 private:
  template <typename Reply>
  void Notify(http::request<http::string_body> req, Reply reply) {
    // The raw body and the header fields exactly as received: the signature covers them. The
    // ledger handler answers success only after the order's change committed.
    Offload(
        [this, req = std::move(req)] {
          wechatpay::HttpHeaders headers;
          for (auto const& field : req) {
            headers.Add(std::string(field.name_string()), std::string(field.value()));
          }
          return handler_.Handle(headers, req.body()).answer;
        },
        [reply = std::move(reply)](wechatpay::NotificationAnswer const& answer) mutable {
          reply(MakeResponse(answer.status_code, answer.content_type, answer.body));
        });
  }

  template <typename Reply>
  void CreateOrder(std::string body, Reply reply) {
    Offload(
        [this, body = std::move(body)]() -> Response {
          wechatpay::NativePrepayRequest request;
          try {  // Boost.PropertyTree reports errors by exceptions: kept inside this block
            boost::property_tree::ptree tree;
            std::istringstream in(body);
            boost::property_tree::read_json(in, tree);
            request.description = tree.get<std::string>("description");
            request.amount.total = tree.get<std::int64_t>("total");
          } catch (std::exception const&) {
            return JsonError(400, "the body must be {\"description\":TEXT,\"total\":FEN}");
          }
          request.out_trade_no = NewOutTradeNo();
          request.notify_url = notify_url_;
          // Recorded in the ledger before the call and after; the SDK validates the request
          // first (an empty description or a total of 0 is kInvalidArgument naming the field).
          auto placed = shop_.NativePrepay(request);
          if (!placed) {
            bool const ours = placed.status().code() == wechatpay::StatusCode::kInvalidArgument;
            return JsonError(ours ? 400 : 502, placed.status().message());
          }
          // Queries while no callback comes (recorded too), and closes the order unpaid after
          // 10 minutes; ConnectLedgerToWatcher ends the watch as soon as a callback commits.
          watcher_.Watch(request.out_trade_no);
          return MakeResponse(200, "application/json",
                              "{\"out_trade_no\":" + JsonString(request.out_trade_no) +
                                  ",\"code_url\":" + JsonString(placed->code_url) + "}");
        },
        std::move(reply));
  }

  template <typename Reply>
  void OpenStream(std::string no, beast::tcp_stream& stream, Reply reply) {
    // Refused rather than closing an older stream, so nobody ends another customer's stream by
    // opening more; the page polls GET /orders/NO meanwhile.
    if (streams_.size() >= kMaxStreams || streams_.count(no) >= kMaxStreamsPerOrder) {
      auto res = JsonError(503, "too many event streams; poll GET /orders/NO");
      res.set(http::field::retry_after, "5");
      return reply(std::move(res));
    }
    // Listening before the read: a change committed meanwhile is not missed.
    auto events = std::make_shared<EventStream>(std::move(stream), *this, no);
    streams_.emplace(no, events);
    ++connections;
    Offload([this, no] { return shop_.ledger()->GetOrder(no); },
            [events](auto const& order) {
              if (order.ok() && order->has_value()) return events->Start(**order);
              events->Close();  // unknown order, or the ledger unreachable: the page polls
            });
  }

  asio::io_context& io_;
  asio::thread_pool& workers_;
  wechatpay::LedgerClient const shop_;
  wechatpay::NotificationHandler const handler_;
  wechatpay::PaymentWatcher& watcher_;
  std::string const notify_url_;
  std::multimap<std::string, std::shared_ptr<EventStream>> streams_;
};

void EventStream::Close() {
  if (closed_) return;
  auto const self = shared_from_this();  // App::Forget() may drop the last other reference
  closed_ = true;
  heartbeat_.cancel();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
  app_.Forget(this);
}

// One HTTP connection: reads requests one at a time, answers each, until the client is done.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, App& app)
      : stream_(std::move(socket)), app_(app), connections_(app.connections) {
    ++connections_;
  }
  ~Session() { --connections_; }  // not through app_: it may be gone (App::connections)
  void Read() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    // The largest any route takes (Beast 1.74 refuses every Content-Length without a limit);
    // ReadBody() applies the route's own, once the target is known.
    parser_->body_limit(app_.BodyLimit(kNotifyPath));
    stream_.expires_after(kReadTimeout);  // the whole request, not each read
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec == http::error::body_limit) {  // Content-Length too long
                                return self->Refuse(self->parser_->get().target(),
                                                    self->app_.BodyLimit(kNotifyPath) + 1);
                              }
                              if (!ec) self->ReadBody();  // else a timeout, a broken request
                            });
  }

 private:
  void ReadBody() {
    auto const& head = parser_->get();
    std::uint64_t const limit = app_.BodyLimit(head.target());
    auto const length = parser_->content_length();
    if (length && *length > limit) return Refuse(head.target(), *length);  // before reading it
    parser_->body_limit(limit);  // a chunked body is counted as it arrives
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this(), limit](beast::error_code ec, std::size_t) {
                       if (ec == http::error::body_limit) {
                         return self->Refuse(self->parser_->get().target(), limit + 1);
                       }
                       if (ec) return;  // timed out or broken off: nothing to answer
                       self->app_.Route(self->parser_->release(), self->stream_,
                                        [self](Response res) { self->Send(std::move(res)); });
                     });
  }
  void Refuse(std::string_view target, std::uint64_t length) {
    Response res = app_.TooLarge(target, length);
    res.keep_alive(false);  // the rest of the body is not read
    Send(std::move(res));
  }
  void Send(Response res) {
    auto answer = std::make_shared<Response>(std::move(res));
    answer->keep_alive(answer->keep_alive() && parser_->is_header_done() && parser_->keep_alive());
    answer->prepare_payload();
    stream_.expires_after(kWriteTimeout);  // per write: Beast times only a pending operation
    http::async_write(stream_, *answer,
                      [self = shared_from_this(), answer](beast::error_code ec, std::size_t) {
                        if (!ec && answer->keep_alive()) self->Read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;  // bounded by the parser: header_limit, then the body limit
  std::optional<http::request_parser<http::string_body>> parser_;
  App& app_;
  std::size_t& connections_;
};

void Accept(tcp::acceptor& acceptor, App& app) {
  acceptor.async_accept([&acceptor, &app](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;  // shutting down
    // Beyond the bound the connection is closed at once (the socket's destructor).
    if (!ec && app.connections < kMaxConnections) {
      std::make_shared<Session>(std::move(socket), app)->Read();
    }
    Accept(acceptor, app);
  });
}

int Fail(std::string const& message, int code) {
  std::cerr << "error: " << message << std::endl;
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> config_path, ledger_url;
  std::string notify_url, host = "127.0.0.1", port = "8080";
  bool sandbox_mode = false;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    bool const value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--sandbox") {
      sandbox_mode = true;
    } else if (arg == "--config" && value) {
      config_path = argv[++i];
    } else if (arg == "--notify-url" && value) {
      notify_url = argv[++i];
    } else if (arg == "--ledger" && value) {
      ledger_url = argv[++i];
    } else if (arg == "--listen" && value && std::string(argv[i + 1]).rfind(':') + 1 > 1) {
      std::string const listen = argv[++i];  // HOST:PORT, the last colon at neither end
      host = listen.substr(0, listen.rfind(':'));
      port = listen.substr(listen.rfind(':') + 1);
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (sandbox_mode == config_path.has_value()) {  // exactly one mode
    std::cerr << kUsage;
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);  // a browser that goes away mid-write must not end the server

  std::size_t connections = 0;  // App::connections
  asio::io_context io(1);       // one thread: no locks around the App
  tcp::acceptor acceptor(io);
  beast::error_code ec;
  tcp::resolver resolver(io);
  auto const endpoints = resolver.resolve(host, port, ec);
  if (!ec && !endpoints.empty()) {
    tcp::endpoint const endpoint = *endpoints.begin();
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec || endpoints.empty()) {
    // ListenFailure() words "address already in use" with what to do about it.
    std::string reason = ec ? ec.message() : "the host has no address";
    if (ec == asio::error::address_in_use) reason = examples::ListenFailure(host, std::stoi(port));
    return Fail("cannot listen on " + host + ":" + port + ": " + reason, 1);
  }
  std::string const bound_port = std::to_string(acceptor.local_endpoint().port());

  std::unique_ptr<wechatpay::sandbox::Sandbox> sandbox;
  wechatpay::MerchantConfig config;
  std::filesystem::path temporary;  // the sandbox mode's ledger folder, removed at exit
  if (sandbox_mode) {
    sandbox = std::make_unique<wechatpay::sandbox::Sandbox>();
    if (auto started = sandbox->Start(); !started.ok()) return Fail(started.message(), 1);
    config = sandbox->ClientConfig();
    // The sandbox posts callbacks over loopback, where plain http is allowed.
    notify_url = "http://127.0.0.1:" + bound_port + kNotifyPath;
    std::string folder = (std::filesystem::temp_directory_path() / "beast-ledger-XXXXXX");
    if (mkdtemp(folder.data()) == nullptr) return Fail("cannot make a folder for the ledger", 1);
    temporary = folder;
    if (!ledger_url) ledger_url = "sqlite:" + folder + "/ledger.db";
  } else {
    auto loaded = wechatpay::LoadMerchantConfig(config_path);
    if (!loaded) return Fail(loaded.status().message(), 2);
    config = *loaded;
    if (notify_url.empty()) notify_url = config.notify_url;
    if (notify_url.empty()) return Fail("--notify-url (or notifyUrl) is required", 2);
    if (!ledger_url)
      ledger_url = config.ledger.empty() ? "beast-checkout-ledger.db" : config.ledger;
  }
  struct RemoveFolder {
    std::filesystem::path path;
    ~RemoveFolder() {
      std::error_code ignored;
      if (!path.empty()) std::filesystem::remove_all(path, ignored);
    }
  } remove_folder{temporary};

  auto store = wechatpay::OpenLedgerStore(*ledger_url);
  if (!store) return Fail(store.status().message(), 2);  // never quotes the URL
  auto ledger = std::make_shared<wechatpay::Ledger>(
      std::shared_ptr<wechatpay::LedgerStore>(*std::move(store)));
  auto client = wechatpay::NativePayClient::Create(config);
  if (!client) return Fail(client.status().message(), 2);
  wechatpay::LedgerClient shop(*client, ledger);
  auto parser = shop.MakeNotificationParser();  // verifies and decrypts every callback
  if (!parser) return Fail(parser.status().message(), 2);
  wechatpay::PaymentWatcher watcher(shop.client());  // its queries and close are recorded
  auto bridge = wechatpay::ConnectLedgerToWatcher(*ledger, watcher);
  if (!bridge) return Fail(bridge.status().message(), 1);

  {
    asio::thread_pool workers(4);
    App app(io, workers, connections, shop,
            wechatpay::MakeLedgerNotificationHandler(*parser, {wechatpay::kEventTransactionSuccess},
                                                     ledger),
            watcher, notify_url);
    // The store calls this on its own thread: hand the event to the io_context thread.
    auto subscription = ledger->Subscribe([&io, &app](wechatpay::LedgerEvent const& event) {
      asio::post(io, [&app, event] { app.OnLedgerEvent(event); });
    });
    if (!subscription) return Fail(subscription.status().message(), 1);

    asio::signal_set stop(io, SIGINT, SIGTERM);
    stop.async_wait([&](beast::error_code, int) {
      acceptor.close();
      app.CloseStreams();
      io.stop();  // requests in progress are dropped; WeChat redelivers an unanswered callback
    });
    Accept(acceptor, app);
    std::cout << "listening on http://" << host << ":" << bound_port << std::endl;
    if (sandbox) {
      std::cout << "sandbox " << sandbox->BaseUrl() << "\nsandbox CA "
                << sandbox->identity().ca_file << std::endl;
    }
    std::cout << "ledger " << wechatpay::RedactPostgresUrl(*ledger_url) << std::endl;
    io.run();
    subscription->reset();  // no more posts to the io_context
    workers.join();         // the calls in progress finish (bounded by the client's timeouts)
  }
  return 0;
}
