// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// CallCancellation: the registry the calls use to be cancelled from another thread.

#include <atomic>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "wechatpay/channel/cancellation.hpp"

namespace wechatpay {
namespace {

TEST_CASE("CallCancellation runs each registered function once, at Cancel()") {
  CallCancellation cancellation;
  int a = 0, b = 0, forgotten = 0;
  cancellation.OnCancel([&] { ++a; });
  auto const id = cancellation.OnCancel([&] { ++forgotten; });
  cancellation.OnCancel([&] { ++b; });
  cancellation.Forget(id);
  CHECK_FALSE(cancellation.cancelled());
  CHECK(a == 0);
  cancellation.Cancel();
  CHECK(cancellation.cancelled());
  CHECK(a == 1);
  CHECK(b == 1);
  CHECK(forgotten == 0);
  cancellation.Cancel();  // again: nothing more
  CHECK(a == 1);
  CHECK(b == 1);
}

TEST_CASE("CallCancellation: a function registered after Cancel() runs at once") {
  CallCancellation cancellation;
  cancellation.Cancel();
  int ran = 0;
  auto const id = cancellation.OnCancel([&] { ++ran; });
  CHECK(ran == 1);
  CHECK(id == 0);
  cancellation.Forget(id);  // harmless
  CHECK(ran == 1);
}

TEST_CASE("CallCancellation: a function may forget itself while Cancel() runs it") {
  CallCancellation cancellation;
  std::uint64_t id = 0;
  int ran = 0;
  id = cancellation.OnCancel([&] {
    ++ran;
    cancellation.Forget(id);  // from inside Cancel(): must not deadlock
  });
  cancellation.Cancel();
  CHECK(ran == 1);
}

TEST_CASE("CallCancellation: registrations racing Cancel() run exactly once unless forgotten") {
  for (int round = 0; round < 50; ++round) {
    CallCancellation cancellation;
    constexpr int kThreads = 4;
    constexpr int kEach = 200;
    std::vector<std::atomic<int>> runs(kThreads * kEach);
    std::vector<std::atomic<bool>> forgotten(kThreads * kEach);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          int const slot = t * kEach + i;
          auto const id = cancellation.OnCancel([&runs, slot] { ++runs[slot]; });
          if (i % 3 == 0) {
            cancellation.Forget(id);
            // Once Forget() returned, the function ran already or never will.
            forgotten[slot] = runs[slot] == 0;
          }
        }
      });
    }
    cancellation.Cancel();
    for (auto& thread : threads) thread.join();
    int twice = 0, missing = 0, ran_after_forget = 0;
    for (int slot = 0; slot < kThreads * kEach; ++slot) {
      if (runs[slot] > 1) ++twice;
      if (forgotten[slot] && runs[slot] != 0) ++ran_after_forget;
      if (!forgotten[slot] && runs[slot] != 1 && slot % kEach % 3 != 0) ++missing;
    }
    REQUIRE(twice == 0);
    REQUIRE(ran_after_forget == 0);
    REQUIRE(missing == 0);
  }
}

}  // namespace
}  // namespace wechatpay
