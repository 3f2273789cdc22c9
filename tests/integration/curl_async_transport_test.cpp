// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

// The asynchronous side of the libcurl transport (src/http/async_transport.hpp) against real
// servers on 127.0.0.1: many transfers on one I/O thread, the same errors as the blocking
// Send(), cancellation, timers, and destruction with requests queued and on the wire.
//
// Completions run on the transport's I/O thread and Catch2 is not thread-safe: completions only
// record what they saw (under a mutex), and the test thread checks it after waiting.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "http/async_transport.hpp"
#include "support/loopback_server.hpp"
#include "support/raw_socket_peers.hpp"
#include "wechatpay/http/curl_stats.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/http/transport.hpp"
#include "wechatpay/http/types.hpp"

namespace wechatpay {
namespace {

using std::chrono::milliseconds;
using testing::LoopbackServer;

// Long enough for any wait below on a loaded CI machine; a hang fails instead of blocking.
constexpr auto kPatience = std::chrono::seconds(60);

HttpRequest Get(std::string url) {
  HttpRequest request;
  request.method = "GET";
  request.url = std::move(url);
  request.timeout = std::chrono::seconds(20);
  return request;
}

// Counts completions and lets the test thread wait for a number of them.
class Countdown {
 public:
  void Arrive() {
    std::lock_guard<std::mutex> lock(mu_);
    ++arrived_;
    cv_.notify_all();
  }
  bool WaitFor(std::size_t count) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] { return arrived_ >= count; });
  }
  std::size_t arrived() {
    std::lock_guard<std::mutex> lock(mu_);
    return arrived_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t arrived_ = 0;
};

// Waits (bounded) until `predicate` holds, polling: for states only a server thread sees.
template <typename Predicate>
bool Eventually(Predicate predicate) {
  auto const deadline = std::chrono::steady_clock::now() + kPatience;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

internal::AsyncHttpTransport& Async(std::shared_ptr<HttpTransport> const& transport) {
  auto* async = internal::AsAsync(*transport);
  if (async == nullptr) throw std::logic_error("the curl transport has no asynchronous side");
  return *async;
}

// A curl transport with `slots` transfers at once.
std::shared_ptr<HttpTransport> CurlWithSlots(std::size_t slots) {
  CurlTransportOptions options;
  options.max_concurrent_transfers = slots;
  return MakeCurlTransport(options);
}

// Sends one request asynchronously and waits for its outcome.
StatusOr<HttpResponse> SendAndWait(internal::AsyncHttpTransport& async, HttpRequest request) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<StatusOr<HttpResponse>> outcome;
  async.SendAsync(std::move(request), [&](StatusOr<HttpResponse> result) {
    std::lock_guard<std::mutex> lock(mu);
    outcome = std::move(result);
    cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu);
  if (!cv.wait_for(lock, kPatience, [&] { return outcome.has_value(); })) {
    return Status(StatusCode::kInternal, "the completion never ran");
  }
  return std::move(*outcome);
}

TEST_CASE("CurlTransport::SendAsync runs 1000 requests, at most 64 at once, on few connections") {
  LoopbackServer::Options server_options;
  server_options.worker_threads = 80;  // one per open connection, and a few more
  LoopbackServer server(server_options);
  std::atomic<int> active{0};
  std::atomic<int> peak{0};
  server.http().Get("/echo", [&](httplib::Request const& req, httplib::Response& res) {
    int const now = ++active;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(milliseconds(1));
    --active;
    res.set_content(req.get_param_value("id"), "text/plain");
  });
  server.Start();

  constexpr std::size_t kRequests = 1000;
  CurlTransportOptions options;
  options.max_concurrent_transfers = 64;
  options.max_idle_handles = 64;
  auto transport = MakeCurlTransport(options);
  auto& async = Async(transport);

  struct Seen {
    std::mutex mu;
    std::vector<std::string> bodies = std::vector<std::string>(kRequests);
    std::size_t failures = 0;
    std::size_t max_in_flight = 0;
    std::string first_failure;
  } seen;
  Countdown finished;

  // All at once: the queue holds what the 64 slots cannot take.
  for (std::size_t i = 0; i < kRequests; ++i) {
    async.SendAsync(Get(server.BaseUrl() + "/echo?id=" + std::to_string(i)),
                    [&seen, &finished, i](StatusOr<HttpResponse> result) {
                      {
                        std::lock_guard<std::mutex> lock(seen.mu);
                        if (result.ok() && result->status_code == 200) {
                          seen.bodies[i] = result->body;
                        } else {
                          ++seen.failures;
                          seen.first_failure = result.ok() ? std::to_string(result->status_code)
                                                           : result.status().ToString();
                        }
                      }
                      finished.Arrive();
                    });
  }
  REQUIRE(finished.WaitFor(kRequests));
  INFO(seen.first_failure);
  CHECK(seen.failures == 0);
  std::size_t mismatched = 0;
  for (std::size_t i = 0; i < kRequests; ++i) {
    if (seen.bodies[i] != std::to_string(i)) ++mismatched;
  }
  CHECK(mismatched == 0);
  CHECK(peak.load() <= 64);
  CHECK(peak.load() > 1);  // they did overlap
  auto const first_wave = GetCurlTransportStats(*transport);
  CHECK(first_wave.requests == kRequests);
  // One connection per slot, give or take a few the server or libcurl closed.
  CHECK(first_wave.new_connections <= 64 + 8);

  // Windowed: 64 chains, each completion submitting the next request from the I/O thread, so
  // InFlight() (queued + on the wire) is what the bound allows.
  std::atomic<std::size_t> next{0};
  Countdown chained;
  std::function<void(StatusOr<HttpResponse>)> on_done;
  auto submit_next = [&] {
    std::size_t const i = next++;
    if (i >= kRequests) return;
    async.SendAsync(Get(server.BaseUrl() + "/echo?id=" + std::to_string(i)), on_done);
  };
  on_done = [&](StatusOr<HttpResponse> result) {
    {
      std::lock_guard<std::mutex> lock(seen.mu);
      if (!result.ok()) ++seen.failures;
      seen.max_in_flight = std::max(seen.max_in_flight, async.InFlight());
    }
    chained.Arrive();
    submit_next();
  };
  for (int chain = 0; chain < 64; ++chain) submit_next();
  REQUIRE(chained.WaitFor(kRequests));
  CHECK(seen.failures == 0);
  CHECK(seen.max_in_flight <= 64);
  // The second thousand reuses the first's connections.
  CHECK(GetCurlTransportStats(*transport).new_connections - first_wave.new_connections <= 8);
  CHECK(async.InFlight() == 0);
  transport.reset();  // before the server: its keep-alive connections hold server threads
}

// What the tests compare between the blocking and the asynchronous outcome.
struct Outcome {
  bool ok = false;
  int http_status = 0;
  StatusCode code = StatusCode::kOk;
  std::string field;
  bool outcome_unknown = false;
};

Outcome Summarize(StatusOr<HttpResponse> const& result) {
  Outcome outcome;
  outcome.ok = result.ok();
  if (result.ok()) {
    outcome.http_status = result->status_code;
    return outcome;
  }
  outcome.code = result.status().code();
  outcome.field = result.status().info().field;
  outcome.outcome_unknown = result.status().info().outcome_unknown;
  return outcome;
}

// A door the server's handlers wait at until the test thread opens it.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, kPatience, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// The outcomes of named requests, in the order their completions ran.
class Outcomes {
 public:
  using Named = std::pair<std::string, Outcome>;

  // A completion that records `name`'s outcome, then runs `then` (on the I/O thread).
  internal::HttpCompletion Record(std::string name, std::function<void()> then = {}) {
    return [this, name = std::move(name), then = std::move(then)](StatusOr<HttpResponse> result) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        seen_.emplace_back(name, Summarize(result));
      }
      if (then) then();
      done_.Arrive();
    };
  }
  bool WaitFor(std::size_t count) { return done_.WaitFor(count); }
  std::vector<Named> Seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::vector<Named> seen_;
  Countdown done_;
};

TEST_CASE("CurlTransport::SendAsync fails exactly like Send") {
  LoopbackServer server;
  server.http().Get("/big", [](httplib::Request const&, httplib::Response& res) {
    res.set_content(std::string(5000, 'x'), "text/plain");
  });
  server.http().Get("/slow", [&server](httplib::Request const&, httplib::Response& res) {
    server.WaitForStop(std::chrono::seconds(5));  // longer than the client waits
    res.set_content("late", "text/plain");
  });
  server.http().Get("/ok", [](httplib::Request const&, httplib::Response& res) {
    res.set_content("fine", "text/plain");
  });
  server.Start();
  testing::DropAfterRequestServer dropper;

  struct Case {
    char const* name;
    HttpRequest request;
  };
  std::vector<Case> cases;
  cases.push_back({"a plain answer", Get(server.BaseUrl() + "/ok")});
  {
    HttpRequest big = Get(server.BaseUrl() + "/big");
    big.max_response_body_bytes = 1000;
    cases.push_back({"a body over the limit", std::move(big)});
  }
  cases.push_back({"a bad URL", Get("not a url")});
  cases.push_back({"plain http to a remote host", Get("http://example.com/")});
  {
    HttpRequest bad_header = Get(server.BaseUrl() + "/ok");
    bad_header.headers.Add("X-Injected", "a\r\nHost: evil");
    cases.push_back({"a header with CR/LF", std::move(bad_header)});
  }
  {
    HttpRequest post = Get(dropper.BaseUrl() + "/v3/pay");
    post.method = "POST";
    post.body = R"({"out_trade_no":"1"})";
    cases.push_back({"a server that closes the connection", std::move(post)});
  }
  {
    HttpRequest slow = Get(server.BaseUrl() + "/slow");
    slow.timeout = milliseconds(200);
    cases.push_back({"a timeout", std::move(slow)});
  }
  cases.push_back({"a refused connection",
                   Get("http://127.0.0.1:" + std::to_string(testing::ClosedLoopbackPort()) + "/")});
  testing::DropAfterRequestServer resetter(
      testing::DropAfterRequestServer::Drop::kResetAfterHeaders);
  {
    HttpRequest post = Get(resetter.BaseUrl() + "/v3/pay");
    post.method = "POST";
    post.body.assign(32 * 1024 * 1024, 'x');
    cases.push_back({"a body reset before it left whole", std::move(post)});
  }

  auto transport = MakeCurlTransport();
  auto& async = Async(transport);
  for (auto const& c : cases) {
    INFO(c.name);
    Outcome const blocking = Summarize(transport->Send(c.request));
    Outcome const asynchronous = Summarize(SendAndWait(async, c.request));
    CHECK(asynchronous.ok == blocking.ok);
    CHECK(asynchronous.http_status == blocking.http_status);
    CHECK(asynchronous.code == blocking.code);
    CHECK(asynchronous.field == blocking.field);
    CHECK(asynchronous.outcome_unknown == blocking.outcome_unknown);
  }
  // A few expectations of the blocking side, so the comparison is not between two wrong ones.
  CHECK(Summarize(transport->Send(cases[1].request)).code == StatusCode::kMalformedResponse);
  CHECK(Summarize(transport->Send(cases[2].request)).code == StatusCode::kInvalidArgument);
  CHECK(Summarize(transport->Send(cases[5].request)).outcome_unknown);
  CHECK(Summarize(transport->Send(cases[6].request)).code == StatusCode::kDeadlineExceeded);
  CHECK_FALSE(Summarize(transport->Send(cases[8].request)).outcome_unknown);
  transport.reset();
}

TEST_CASE("CurlTransport::Cancel cancels a queued request, not one on the wire") {
  LoopbackServer server;
  Gate gate;
  std::atomic<int> first_arrived{0};
  std::atomic<int> second_arrived{0};
  server.http().Get("/first", [&](httplib::Request const&, httplib::Response& res) {
    ++first_arrived;
    gate.Wait();
    res.set_content("first", "text/plain");
  });
  server.http().Get("/second", [&](httplib::Request const&, httplib::Response& res) {
    ++second_arrived;
    res.set_content("second", "text/plain");
  });
  server.Start();

  auto transport = CurlWithSlots(1);
  auto& async = Async(transport);

  Outcomes outcomes;
  auto const first = async.SendAsync(Get(server.BaseUrl() + "/first"), outcomes.Record("first"));
  REQUIRE(Eventually([&] { return first_arrived.load() == 1; }));
  auto const second = async.SendAsync(Get(server.BaseUrl() + "/second"), outcomes.Record("second"));
  CHECK(async.InFlight() == 2);
  CHECK(async.Cancel(second));
  CHECK_FALSE(async.Cancel(second));  // already cancelled
  CHECK_FALSE(async.Cancel(first));   // on the wire
  REQUIRE(outcomes.WaitFor(1));       // the cancelled one completes without waiting for the first
  gate.Open();
  REQUIRE(outcomes.WaitFor(2));
  auto const seen = outcomes.Seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].first == "second");
  CHECK(seen[0].second.code == StatusCode::kCancelled);
  CHECK_FALSE(seen[0].second.outcome_unknown);
  CHECK(seen[1].first == "first");
  CHECK(seen[1].second.ok);
  CHECK(second_arrived.load() == 0);
  CHECK_FALSE(async.Cancel(first));  // done
  transport.reset();
}

TEST_CASE("CurlTransport::RunAfter runs timers in due order and Cancel drops one") {
  auto transport = MakeCurlTransport();
  auto& async = Async(transport);
  std::mutex mu;
  std::vector<std::string> order;
  Countdown fired;
  auto timer = [&](std::string name) {
    return [&, name] {
      {
        std::lock_guard<std::mutex> lock(mu);
        order.push_back(name);
      }
      fired.Arrive();
    };
  };
  async.RunAfter(milliseconds(60), timer("60"));
  async.RunAfter(milliseconds(20), timer("20a"));
  auto const cancelled = async.RunAfter(milliseconds(30), timer("30"));
  async.RunAfter(milliseconds(40), timer("40"));
  async.RunAfter(milliseconds(0), timer("0"));
  async.RunAfter(milliseconds(20), timer("20b"));
  // A timer that throws does not stop the thread.
  async.RunAfter(milliseconds(10), [] { throw std::runtime_error("dropped by the loop"); });
  CHECK(async.Cancel(cancelled));
  CHECK_FALSE(async.Cancel(cancelled));
  REQUIRE(fired.WaitFor(5));
  std::this_thread::sleep_for(milliseconds(50));  // the cancelled one would have fired by now
  std::lock_guard<std::mutex> lock(mu);
  CHECK(order == std::vector<std::string>{"0", "20a", "20b", "40", "60"});
}

TEST_CASE("CurlTransport::SendAsync chains requests from completions, which may throw") {
  LoopbackServer server;
  server.http().Get("/step", [](httplib::Request const& req, httplib::Response& res) {
    res.set_content(req.get_param_value("n"), "text/plain");
  });
  server.Start();
  auto transport = MakeCurlTransport();
  auto& async = Async(transport);

  std::mutex mu;
  std::vector<std::string> bodies;
  Countdown finished;
  std::function<void(int)> step = [&](int n) {
    async.SendAsync(Get(server.BaseUrl() + "/step?n=" + std::to_string(n)),
                    [&, n](StatusOr<HttpResponse> result) {
                      {
                        std::lock_guard<std::mutex> lock(mu);
                        bodies.push_back(result.ok() ? result->body : result.status().message());
                      }
                      if (n < 5) {
                        step(n + 1);
                      } else {
                        finished.Arrive();
                      }
                      // The exception rule: caught and dropped by the I/O thread.
                      throw std::runtime_error("a completion that throws");
                    });
  };
  step(1);
  REQUIRE(finished.WaitFor(1));
  std::lock_guard<std::mutex> lock(mu);
  CHECK(bodies == std::vector<std::string>{"1", "2", "3", "4", "5"});
  CHECK(GetCurlTransportStats(*transport).new_connections == 1);  // one keep-alive connection
  transport.reset();
}

TEST_CASE("CurlTransport::SendAsync streams a 2xx body to its sink") {
  LoopbackServer server;
  constexpr std::size_t kChunks = 40;
  std::string const chunk(1000, 'z');
  server.http().Get("/stream", [&](httplib::Request const&, httplib::Response& res) {
    res.set_chunked_content_provider(
        "application/octet-stream",
        [&, sent = std::size_t{0}](std::size_t, httplib::DataSink& sink) mutable {
          if (sent == kChunks) {
            sink.done();
            return true;
          }
          ++sent;
          return sink.write(chunk.data(), chunk.size());
        });
  });
  server.Start();
  auto transport = MakeCurlTransport();
  auto& async = Async(transport);

  auto streamed = std::make_shared<std::string>();
  auto pieces = std::make_shared<std::size_t>(0);
  HttpRequest request = Get(server.BaseUrl() + "/stream");
  request.body_sink = [streamed, pieces](std::string_view piece) {
    streamed->append(piece);
    ++*pieces;
    return Status();
  };
  auto const result = SendAndWait(async, std::move(request));
  REQUIRE(result.ok());
  CHECK(result->status_code == 200);
  CHECK(result->body.empty());
  CHECK(streamed->size() == kChunks * chunk.size());
  CHECK(*streamed == std::string(kChunks * chunk.size(), 'z'));
  CHECK(*pieces >= 1);

  // And a limit on what is streamed, as with Send().
  HttpRequest limited = Get(server.BaseUrl() + "/stream");
  limited.max_response_body_bytes = 5000;
  limited.body_sink = [](std::string_view) { return Status(); };
  auto const refused = SendAndWait(async, limited);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kMalformedResponse);
  CHECK(refused.status().info().field == "body");
  transport.reset();
}

TEST_CASE("Destroying the curl transport cancels queued and running requests, once each") {
  LoopbackServer::Options server_options;
  server_options.worker_threads = 8;
  LoopbackServer server(server_options);
  std::atomic<int> arrived{0};
  server.http().Get("/hang", [&](httplib::Request const&, httplib::Response& res) {
    ++arrived;
    server.WaitForStop(std::chrono::seconds(30));  // never answers while the test runs
    res.set_content("too late", "text/plain");
  });
  server.Start();

  auto transport = CurlWithSlots(2);
  auto& async = Async(transport);

  constexpr int kRequests = 6;
  std::mutex mu;
  std::vector<int> calls(kRequests, 0);
  std::vector<Outcome> outcomes(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    async.SendAsync(Get(server.BaseUrl() + "/hang"), [&, i](StatusOr<HttpResponse> result) {
      std::lock_guard<std::mutex> lock(mu);
      ++calls[i];
      outcomes[i] = Summarize(result);
    });
  }
  bool timer_ran = false;
  async.RunAfter(std::chrono::seconds(10), [&] { timer_ran = true; });
  REQUIRE(Eventually([&] { return arrived.load() == 2; }));  // two on the wire, four queued

  auto const started = std::chrono::steady_clock::now();
  transport.reset();
  auto const took = std::chrono::steady_clock::now() - started;
  CHECK(took <
        std::chrono::seconds(5));  // a bound, not a measurement: nothing waits for the server

  std::lock_guard<std::mutex> lock(mu);  // the thread is joined: everything has run
  CHECK_FALSE(timer_ran);
  int unknown = 0;
  for (int i = 0; i < kRequests; ++i) {
    INFO("request " << i);
    CHECK(calls[i] == 1);
    CHECK(outcomes[i].code == StatusCode::kCancelled);
    if (outcomes[i].outcome_unknown) ++unknown;
  }
  CHECK(unknown == 2);  // the two on the wire may have reached the server; the queued did not
  CHECK(outcomes[0].outcome_unknown);
  CHECK(outcomes[1].outcome_unknown);
}

TEST_CASE("The curl transport may be destroyed from one of its completions") {
  LoopbackServer server;
  Gate gate;  // the first answer waits until the test thread has dropped its reference
  server.http().Get("/ok", [&](httplib::Request const&, httplib::Response& res) {
    gate.Wait();
    res.set_content("fine", "text/plain");
  });
  server.http().Get("/hang", [&server](httplib::Request const&, httplib::Response& res) {
    server.WaitForStop(std::chrono::seconds(30));
    res.set_content("too late", "text/plain");
  });
  server.Start();

  auto transport = CurlWithSlots(1);
  auto& async = Async(transport);

  Outcomes outcomes;
  // The first completion holds the last reference: the transport's destructor runs on the I/O
  // thread, with the second request still queued behind it.
  async.SendAsync(Get(server.BaseUrl() + "/ok"),
                  outcomes.Record("first", [keep = transport]() mutable { keep.reset(); }));
  async.SendAsync(Get(server.BaseUrl() + "/hang"), outcomes.Record("second"));
  transport.reset();  // now only the first completion keeps it
  gate.Open();
  REQUIRE(outcomes.WaitFor(2));
  auto const seen = outcomes.Seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].first == "first");
  CHECK(seen[0].second.ok);
  CHECK(seen[1].first == "second");
  CHECK(seen[1].second.code == StatusCode::kCancelled);
  CHECK_FALSE(seen[1].second.outcome_unknown);
  // The detached I/O thread ends on its own once its last completion returned (cleaning up its
  // multi handle); give it that moment before the test process may exit.
  std::this_thread::sleep_for(milliseconds(50));
}

}  // namespace
}  // namespace wechatpay
