// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Two Reconcilers on one database (two store instances, as two processes would have, two
// owners, two threads) against the sandbox: every order is worked exactly once and never by
// both at the same time. Run once per registered store (store_factories.hpp): SQLite, and
// PostgreSQL where its store is built.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "store_factories.hpp"
#include "support/sandbox_fixture.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/reconciler.hpp"
#include "wechatpay/testing/fake_clock.hpp"

namespace wechatpay {
namespace {

using testing::FakeClock;
using testing::SandboxFixture;

// Counts, per order, the calls in flight through it and the most seen at once.
class CountingChannel : public NativePayChannel {
 public:
  explicit CountingChannel(std::shared_ptr<NativePayChannel> inner) : inner_(std::move(inner)) {}

  StatusOr<Transaction> QueryOrderByOutTradeNo(QueryOrderByOutTradeNoRequest const& request,
                                               CallOptions const& options) override {
    Enter(request.out_trade_no);
    // Widen the window in which a second reconciler could reach the same order.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    auto result = inner_->QueryOrderByOutTradeNo(request, options);
    Leave(request.out_trade_no);
    return result;
  }

  StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request,
                                          CallOptions const& options) override {
    Enter(request.out_trade_no);
    auto result = inner_->CloseOrder(request, options);
    Leave(request.out_trade_no);
    return result;
  }

  int MaxInFlight() const {
    std::lock_guard<std::mutex> lock(mu_);
    int most = 0;
    for (auto const& [no, count] : max_) most = std::max(most, count);
    return most;
  }

  std::map<std::string, int> Calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  void Enter(std::string const& no) {
    std::lock_guard<std::mutex> lock(mu_);
    int& now = in_flight_[no];
    ++now;
    ++calls_[no];
    max_[no] = std::max(max_[no], now);
  }
  void Leave(std::string const& no) {
    std::lock_guard<std::mutex> lock(mu_);
    --in_flight_[no];
  }

  std::shared_ptr<NativePayChannel> inner_;
  mutable std::mutex mu_;
  std::map<std::string, int> in_flight_;
  std::map<std::string, int> max_;
  std::map<std::string, int> calls_;
};

TEST_CASE("Reconciler: two reconcilers on one store never work on the same order at once",
          "[ledger][reconciler]") {
  constexpr int kOrders = 40;
  for (auto const& factory : ledger_test::StoreFactories()) {
    DYNAMIC_SECTION(factory.name) {
      SandboxFixture fixture;
      auto database = factory.make();
      auto clock = std::make_shared<FakeClock>();
      auto open = [&](std::string const& instance) {
        auto store = database->Open();
        REQUIRE(store.ok());
        LedgerOptions options;
        options.clock = clock;
        options.instance_id = instance;
        return std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(*std::move(store)), options);
      };
      auto ledger_a = open("instance-a");
      auto ledger_b = open("instance-b");
      auto plain = fixture.Client();

      // Orders recorded as being created, and created at WeChat without their answer recorded.
      std::vector<std::string> numbers;
      for (int i = 0; i < kOrders; ++i) {
        numbers.push_back("RECON-LEASE-" + std::to_string(i));
        NativePrepayRequest request;
        request.out_trade_no = numbers.back();
        request.description = "租约测试";
        request.amount.total = 1;
        REQUIRE(ledger_a->RecordOrderCreating(request).ok());
        REQUIRE(plain.NativePrepay(request).ok());
      }
      clock->Advance(ledger_a->options().recheck_after);

      auto counting = std::make_shared<CountingChannel>(plain.channel());
      NativePayClient client(counting);
      ReconcilerOptions options;
      options.batch = 3;  // many small passes, so the two interleave
      Reconciler a(ledger_a, client, options);
      Reconciler b(ledger_b, client, options);

      std::atomic<int> errors{0};
      auto run = [&](Reconciler& reconciler) {
        for (int pass = 0; pass < 200; ++pass) {
          auto summary = reconciler.RunOnce();
          if (!summary.ok()) {
            ++errors;
            continue;
          }
          errors += summary->errors;
          if (summary->leased == 0) break;
        }
      };
      std::thread ta(run, std::ref(a));
      std::thread tb(run, std::ref(b));
      ta.join();
      tb.join();

      CHECK(errors.load() == 0);
      CHECK(counting->MaxInFlight() == 1);
      auto const calls = counting->Calls();
      for (auto const& no : numbers) {
        INFO(no);
        CHECK(calls.count(no) == 1);
        if (calls.count(no) == 1) CHECK(calls.at(no) == 1);  // worked once, by one of them
        auto order = ledger_a->GetOrder(no);
        REQUIRE(order.ok());
        REQUIRE(order->has_value());
        CHECK((*order)->state == LedgerOrderState::kNotPaid);
      }
    }
  }
}

}  // namespace
}  // namespace wechatpay
