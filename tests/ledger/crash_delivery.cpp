// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "crash_delivery.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "ledger_fixture.hpp"
#include "support/background_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/scoped_environment.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/ledger/open.hpp"

namespace wechatpay::testing {
namespace {

constexpr int kPayments = 1000;
constexpr int kMaxKills = 40;
// WeChat's retry schedule (15 s, 15 s, 30 s, 3 min, ... 6 h; 16 attempts over about 24 h) times
// this: the first retries within milliseconds, the whole schedule within about 17 s, so a
// callback survives many restarts and the last redeliveries come within seconds.
constexpr double kTimeScale = 0.0002;

std::shared_ptr<LedgerStore> MustOpen(std::string const& url) {
  auto opened = OpenLedgerStore(url);
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  return std::shared_ptr<LedgerStore>(*std::move(opened));
}

std::size_t Answered2xx(sandbox::Stats const& stats) {
  std::size_t answered = 0;
  for (auto const& [status, count] : stats.callback_answers) {
    if (status >= 200 && status < 300) answered += count;
  }
  return answered;
}

std::string OrderNo(int n) { return "LEDGER-CRASH-" + std::to_string(n); }

// The receiving process, started by RunCrashDelivery (hidden: runs only when asked for by its
// tag). Prints `port N` once it listens, then serves until it is killed.
TEST_CASE("Crash-delivery receiver", "[.][ledger-crash-receiver]") {
  char const* store_url = std::getenv("LEDGER_CRASH_STORE");
  char const* config_file = std::getenv("LEDGER_CRASH_CONFIG");
  char const* port_text = std::getenv("LEDGER_CRASH_PORT");
  REQUIRE(store_url != nullptr);
  REQUIRE(config_file != nullptr);
  REQUIRE(port_text != nullptr);
  auto ledger = std::make_shared<Ledger>(MustOpen(store_url));
  auto config = LoadMerchantConfigFile(config_file);
  INFO(config.status().ToString());
  REQUIRE(config.ok());
  auto parser = MakeNotificationParser(*config);
  REQUIRE(parser.ok());
  auto handler = MakeLedgerNotificationHandler(*std::move(parser), {kEventTransactionSuccess},
                                               std::move(ledger));
  httplib::Server server;
  server.Post("/notify", [&handler](httplib::Request const& request, httplib::Response& response) {
    HttpHeaders headers;
    for (auto const& [name, value] : request.headers) headers.Add(name, value);
    auto result = handler.Handle(headers, request.body);
    response.status = result.answer.status_code;
    if (!result.answer.body.empty()) {
      response.set_content(result.answer.body, result.answer.content_type.c_str());
    }
  });
  int const port = std::atoi(port_text);
  int bound = -1;
  if (port == 0) {
    bound = server.bind_to_any_port("127.0.0.1");
  } else {
    // The killed predecessor's socket is gone once it was reaped; a few tries cover a kernel
    // that is slow to release it.
    for (int attempt = 0; attempt < 100 && bound < 0; ++attempt) {
      if (server.bind_to_port("127.0.0.1", port)) {
        bound = port;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }
  REQUIRE(bound > 0);
  std::printf("port %d\n", bound);
  std::fflush(stdout);
  server.listen_after_bind();
}

std::unique_ptr<BackgroundProcess> StartReceiver(std::string const& log, int& port) {
  auto process = std::make_unique<BackgroundProcess>(
      "/proc/self/exe", std::vector<std::string>{"[ledger-crash-receiver]"}, log);
  for (;;) {
    auto line = process->ReadLine(std::chrono::seconds(15));
    REQUIRE(line.has_value());  // the receiver did not start: see its log
    if (line->rfind("port ", 0) == 0) {
      port = std::atoi(line->c_str() + 5);
      return process;
    }
  }
}

}  // namespace

void RunCrashDelivery(std::string const& store_url,
                      std::function<long long()> const& notification_rows,
                      std::string const& label) {
  SandboxFixture sandbox(kTimeScale);
  TempDir dir;
  std::string const config_file = dir.File("client.json");
  REQUIRE(sandbox.sandbox().WriteClientConfig(config_file).ok());
  auto store = MustOpen(store_url);
  auto ledger = std::make_shared<Ledger>(store);
  LedgerClient client(sandbox.Client(), ledger);

  ScopedEnvironment store_env("LEDGER_CRASH_STORE", store_url.c_str());
  ScopedEnvironment config_env("LEDGER_CRASH_CONFIG", config_file.c_str());
  std::string const log = dir.File("receiver.log");
  int port = 0;
  std::unique_ptr<BackgroundProcess> receiver;
  {
    ScopedEnvironment any_port("LEDGER_CRASH_PORT", "0");
    receiver = StartReceiver(log, port);
  }
  std::string const port_text = std::to_string(port);
  ScopedEnvironment same_port("LEDGER_CRASH_PORT", port_text.c_str());

  // The shop places each order through the LedgerClient and the payer pays it at once (the
  // code_url is valid 2 h of WeChat time: about 1.4 s here); its callback goes out from the
  // sandbox meanwhile. The receiver is killed while this goes on.
  auto const traffic_start = std::chrono::steady_clock::now();
  std::atomic<int> pay_failures{0};
  std::atomic<bool> all_paid{false};
  std::string first_pay_failure;
  std::thread shop([&] {
    for (int n = 0; n < kPayments; ++n) {
      auto request = OrderRequest(OrderNo(n), 100);
      request.notify_url = "http://127.0.0.1:" + port_text + "/notify";
      Status status = client.NativePrepay(request).status();
      if (status.ok()) status = sandbox.sandbox().Pay(OrderNo(n)).status();
      if (!status.ok() && pay_failures++ == 0) first_pay_failure = status.ToString();
    }
    all_paid = true;
  });
  std::mt19937 random(20261207);
  std::uniform_int_distribution<int> delay_ms(50, 400);
  int kills = 0;
  int killed_midway = 0;
  std::string progress;
  while (!all_paid && kills < kMaxKills) {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    receiver.reset();  // SIGKILL, reaped
    ++kills;
    auto const answered = Answered2xx(sandbox.sandbox().GetStats());
    progress += " " + std::to_string(answered);
    if (answered > 0 && answered < static_cast<std::size_t>(kPayments)) ++killed_midway;
    int restarted_on = 0;
    receiver = StartReceiver(log, restarted_on);
    REQUIRE(restarted_on == port);
  }
  shop.join();
  INFO("first failed payment: " << first_pay_failure);
  REQUIRE(pay_failures == 0);

  // Every callback ends with one 2xx answer (the sandbox stops redelivering it then): all of
  // them answered means nothing is pending.
  bool const settled = Eventually(
      [&] {
        return Answered2xx(sandbox.sandbox().GetStats()) >= static_cast<std::size_t>(kPayments);
      },
      std::chrono::seconds(25));
  auto const traffic_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - traffic_start);
  auto const stats = sandbox.sandbox().GetStats();
  std::string answers;
  for (auto const& [status, count] : stats.callback_answers) {
    answers += " " + std::to_string(status) + ":" + std::to_string(count);
  }
  std::printf(
      "%s crash delivery: %d callbacks, %d kills (2xx answers seen at each kill:%s); "
      "%zu delivery attempts, answers by status:%s; all answered 2xx after %lld ms\n",
      label.c_str(), kPayments, kills, progress.c_str(), stats.callbacks_sent, answers.c_str(),
      static_cast<long long>(traffic_time.count()));
  CHECK(settled);
  CHECK(Answered2xx(stats) == static_cast<std::size_t>(kPayments));
  // The kills hit the receiver with callbacks still coming (random moments from a generator
  // started at a fixed value; on a very slow machine fewer of them do).
  CHECK(killed_midway >= 3);
  // Some deliveries failed with the receiver dead and were redelivered.
  CHECK(stats.callbacks_sent > static_cast<std::size_t>(kPayments));

  // 0 lost, 0 applied twice, 0 stuck: every order PAID by exactly one callback entry.
  int not_paid = 0, stuck = 0, applied_twice = 0, wrong_version = 0;
  std::set<std::string> notification_ids;
  for (int n = 0; n < kPayments; ++n) {
    auto order = ledger->GetOrder(OrderNo(n));
    REQUIRE(order.ok());
    REQUIRE(order->has_value());
    auto const& record = **order;
    if (record.state != LedgerOrderState::kPaid) ++not_paid;
    if (record.outcome_unknown || !record.review_reason.empty()) ++stuck;
    if (record.version != 3) ++wrong_version;  // created, prepay answered, paid
    auto history = ledger->History(OrderNo(n));
    REQUIRE(history.ok());
    int callbacks = 0;
    for (auto const& entry : *history) {
      if (entry.source != LedgerSource::kCallback) continue;
      ++callbacks;
      notification_ids.insert(entry.notification_id);
    }
    if (callbacks > 1) ++applied_twice;
  }
  std::printf("%s crash delivery: not paid %d, applied twice %d, stuck %d\n", label.c_str(),
              not_paid, applied_twice, stuck);
  CHECK(not_paid == 0);
  CHECK(applied_twice == 0);
  CHECK(stuck == 0);
  CHECK(wrong_version == 0);
  CHECK(notification_ids.size() == static_cast<std::size_t>(kPayments));
  CHECK(notification_rows() == kPayments);
}

}  // namespace wechatpay::testing
