// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The shared helpers of src/common that the library, the sandbox and the CLI now use from one
// place (issue 16, item 4): the RFC 3339 parser, JSON text, wipe-on-destroy and signal blocking.

#include <pthread.h>
#include <signal.h>
#include <time.h>  // timegm

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "catch.hpp"
#include "common/json_text.hpp"
#include "common/rfc3339.hpp"
#include "common/signals.hpp"
#include "common/wipe.hpp"

namespace wechatpay::internal {
namespace {

std::int64_t Seconds(std::string const& text) {
  auto const parsed = ParseRfc3339(text);
  REQUIRE(parsed.has_value());
  return std::chrono::duration_cast<std::chrono::seconds>(parsed->time_since_epoch()).count();
}

TEST_CASE("ParseRfc3339 gives the instant, with the offset applied", "[common][rfc3339]") {
  CHECK(Seconds("1970-01-01T00:00:00Z") == 0);
  CHECK(Seconds("2018-06-08T10:34:56+08:00") == 1528425296);  // WeChat's documented example
  CHECK(Seconds("2018-06-08T02:34:56Z") == 1528425296);
  CHECK(Seconds("2018-06-08T10:34:56.789+08:00") == 1528425296);  // the fraction is dropped
  CHECK(Seconds("2000-02-29T12:00:00-05:30") == 951845400);       // a leap day, west of UTC
  CHECK(Seconds("1969-12-31T23:59:59Z") == -1);
  CHECK(Seconds("2100-03-01T00:00:00Z") == 4107542400);  // 2100 is not a leap year
}

TEST_CASE("ParseRfc3339 agrees with timegm() on the first of every month for 200 years",
          "[common][rfc3339]") {
  for (int year = 1900; year < 2100; ++year) {
    for (int month = 1; month <= 12; ++month) {
      std::tm parts{};
      parts.tm_year = year - 1900;
      parts.tm_mon = month - 1;
      parts.tm_mday = 1;
      parts.tm_hour = 13;
      char text[40];
      std::snprintf(text, sizeof text, "%04d-%02d-01T13:00:00Z", year, month);
      INFO(text);
      CHECK(Seconds(text) == static_cast<std::int64_t>(timegm(&parts)));
    }
  }
}

TEST_CASE("ParseRfc3339 refuses exactly what Rfc3339Problem explains", "[common][rfc3339]") {
  for (char const* bad :
       {"2026-02-29T10:00:00+08:00", "2026-04-31T10:00:00Z", "2026-01-01t10:00:00Z",
        "2026-01-01T10:00:60Z", "2026-01-01T10:00:00", "2026-01-01T10:00:00+0800",
        "2026-01-01T10:00:00.Z", "2026-01-01T10:00:00Z ", ""}) {
    INFO(bad);
    CHECK_FALSE(Rfc3339Problem(bad).empty());
    CHECK_FALSE(ParseRfc3339(bad).has_value());
  }
  CHECK(Rfc3339Problem("2026-02-29T10:00:00+08:00") == "day 29 does not exist in 2026-02");
  CHECK(Rfc3339Problem("2028-02-29T10:00:00+08:00").empty());
}

TEST_CASE("JsonQuote escapes quotes, backslashes and control characters only", "[common][json]") {
  CHECK(JsonQuote("") == "\"\"");
  CHECK(JsonQuote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(JsonQuote(std::string("\n\t\x01\0", 4)) == "\"\\u000a\\u0009\\u0001\\u0000\"");
  CHECK(JsonQuote("订单/</") == "\"订单/</\"");
}

TEST_CASE("JsonObject writes members in order", "[common][json]") {
  CHECK(JsonObject().Build() == "{}");
  CHECK(JsonObject()
            .Str("id", "EV-1")
            .OptStr("absent", std::nullopt)
            .OptStr("present", std::string("x"))
            .Int("total", -3)
            .Bool("ok", true)
            .Raw("resource", R"({"a":[1]})")
            .Build() == R"({"id":"EV-1","present":"x","total":-3,"ok":true,"resource":{"a":[1]}})");
  CHECK(JsonArray({"1", "\"a\""}) == R"([1,"a"])");
}

TEST_CASE("JsonStringMember reads one string member and refuses everything else",
          "[common][json]") {
  std::string const paid = R"({"transaction_id":"4200","trade_state":"SUCCESS","amount":{"t":1}})";
  CHECK(JsonStringMember(paid, "transaction_id") == std::optional<std::string>("4200"));
  CHECK(JsonStringMember(paid, "trade_state") == std::optional<std::string>("SUCCESS"));
  CHECK_FALSE(JsonStringMember(paid, "amount"));                       // not a string
  CHECK_FALSE(JsonStringMember(paid, "missing"));                      // absent
  CHECK_FALSE(JsonStringMember(R"(["trade_state"])", "trade_state"));  // not an object
  CHECK_FALSE(JsonStringMember("{\"a\":\"\xff\"}", "a"));              // not UTF-8
  CHECK_FALSE(JsonStringMember("{\"a\":", "a"));                       // not JSON
  // Deep nesting is parsed without recursion: no stack overflow, just "not an object".
  CHECK_FALSE(JsonStringMember(std::string(1000000, '['), "a"));
  CHECK(JsonStringMember(
            "{\"a\":\"x\",\"b\":" + std::string(100000, '[') + std::string(100000, ']') + "}",
            "a") == std::optional<std::string>("x"));
}

TEST_CASE("Wipe and WipedString leave no secret behind", "[common][wipe]") {
  std::string secret = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
  char const* const data = secret.data();
  std::size_t const size = secret.size();
  Wipe(secret);
  CHECK(secret.empty());
  // The characters were overwritten in place before the string was cleared (same buffer).
  CHECK(std::string(data, size) == std::string(size, '\0'));

  WipedString token("first-token");
  token.Reset("second");
  CHECK(token.value == "second");
}

TEST_CASE("BlockSignals blocks in this thread and RestoreSignalMask undoes it",
          "[common][signals]") {
  auto is_blocked = [](int signal_number) {
    sigset_t current;
    pthread_sigmask(SIG_BLOCK, nullptr, &current);
    return sigismember(&current, signal_number) == 1;
  };
  REQUIRE_FALSE(is_blocked(SIGUSR2));
  sigset_t const previous = BlockSignals({SIGUSR2, SIGPIPE});
  CHECK(is_blocked(SIGUSR2));
  CHECK(is_blocked(SIGPIPE));
  RestoreSignalMask(previous);
  CHECK_FALSE(is_blocked(SIGUSR2));
  sigset_t const set = SignalSet({SIGINT, SIGTERM});
  CHECK(sigismember(&set, SIGINT) == 1);
  CHECK(sigismember(&set, SIGTERM) == 1);
  CHECK(sigismember(&set, SIGPIPE) == 0);
}

}  // namespace
}  // namespace wechatpay::internal
