// Context of docs/testing.md's watcher test: the application function it tests (the block before
// it in that page) and a Catch2 test case around it.
#include <future>
#include <memory>
#include <string>

#include <wechatpay/testing/fake_channel.hpp>
#include <wechatpay/testing/fake_clock.hpp>
#include <wechatpay/wechatpay.hpp>

#include "catch.hpp"

bool SellCola(wechatpay::NativePayClient& client, wechatpay::PaymentWatcher& watcher,
              std::string const& out_trade_no);

TEST_CASE("docs/testing.md") {
  // SNIPPET
}
