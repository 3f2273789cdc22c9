// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Bills end to end through the curl transport against a real local server (cpp-httplib on
// 127.0.0.1) that plays WeChat Pay: a signed tradebill answer, then the unsigned file at its
// download_url, whose request signature the server checks over path and query. Plain and gzip
// bills verify; a changed byte, a truncated stream and a wrong hash are refused and leave no
// file; an expired URL is a clear error; a URL on another host is never sent to; a bill five
// times the transport's default body limit streams through in bounded memory.

#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "catch.hpp"
#include "http/httplib_headers.hpp"
#include "support/bill_files.hpp"
#include "support/bill_server.hpp"
#include "support/loopback_server.hpp"
#include "support/process_memory.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/protocol/error_codes.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::BillFile;
using testing::BillServer;
using testing::LoopbackServer;
using testing::TestMerchant;

constexpr std::size_t kMiB = 1024 * 1024;

// Yesterday in Beijing (UTC+8) by the system clock: the latest bill_date there is.
std::string BeijingYesterday() {
  auto const now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::time_t const yesterday = now + 8 * 3600 - 24 * 3600;
  std::tm parts{};
  gmtime_r(&yesterday, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

NativePayClient MakeClient(std::string const& base_url) {
  ClientOptions options;
  options.retry.max_retries = 1;
  return NativePayClient::Create(TestMerchant::Config(base_url), options).value();
}

std::string ReadFile(std::filesystem::path const& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::filesystem::path TestFolder(std::string const& name) {
  auto const folder = std::filesystem::temp_directory_path() /
                      ("wechatpay-bill-it-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

bool FolderEmpty(std::filesystem::path const& folder) {
  return std::filesystem::directory_iterator(folder) == std::filesystem::directory_iterator();
}

StatusOr<BillDownloadInfo> ApplyFor(NativePayClient const& client, bool gzip) {
  TradeBillRequest request;
  request.bill_date = BeijingYesterday();
  request.bill_type = "ALL";
  if (gzip) request.tar_type = "GZIP";
  return client.TradeBill(request);
}

struct Fixture {
  std::string const bill = testing::SampleTradeBill(3000);
  std::string const gzip = testing::Gzip(bill);
  BillServer server;

  Fixture() {
    server.AddFile("plain", {bill, bill});
    server.AddFile("gzip", {gzip, bill});
    auto changed = gzip;
    changed[gzip.size() / 2] ^= 0x01;  // one byte of the deflate data, after the digest
    server.AddFile("gzip-changed", {changed, bill});
    auto plain_changed = bill;
    plain_changed[bill.size() / 3] ^= 0x01;
    server.AddFile("plain-changed", {plain_changed, bill});
    server.AddFile("truncated", {gzip.substr(0, gzip.size() / 2), bill});
    server.AddFile("wrong-hash", {gzip, bill + "x"});
    server.AddFile("expired", {"", bill, 400});
    server.AddFile("cut", {bill, bill, 200, 64 * 1024});
    server.Start();
  }
};

TEST_CASE("Bills: plain and gzip bills download, verify and match the signed digest",
          "[bill][integration]") {
  Fixture f;
  auto const client = MakeClient(f.server.BaseUrl());
  auto const folder = TestFolder("ok");

  f.server.NextToken("plain");
  auto plain = ApplyFor(client, false);
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->gzip);
  std::string received;
  auto downloaded = client.DownloadBill(*plain, [&](std::string_view bytes) {
    received.append(bytes);
    return Status();
  });
  REQUIRE(downloaded.ok());
  CHECK(received == f.bill);
  CHECK(downloaded->bill_bytes == f.bill.size());

  f.server.NextToken("gzip");
  auto gzip = ApplyFor(client, true);
  REQUIRE(gzip.ok());
  CHECK(gzip->gzip);
  auto const target = folder / "trade.csv";
  auto written = client.DownloadBillToFile(*gzip, target.string());
  REQUIRE(written.ok());
  CHECK(written->downloaded_bytes == f.gzip.size());
  CHECK(ReadFile(target) == f.bill);

  // The exact requests: the documented query, and the download signed over its path and query
  // (the server answered 401 otherwise).
  auto const requests = f.server.requests();
  REQUIRE(requests.size() == 4);
  CHECK(requests[0].url == "/v3/bill/tradebill?bill_date=" + BeijingYesterday() + "&bill_type=ALL");
  CHECK(requests[1].url == "/v3/billdownload/file?token=plain");
  CHECK(requests[2].url ==
        "/v3/bill/tradebill?bill_date=" + BeijingYesterday() + "&bill_type=ALL&tar_type=GZIP");
  CHECK(requests[3].url == "/v3/billdownload/file?token=gzip");
  std::filesystem::remove_all(folder);
}

TEST_CASE("Bills: a changed byte, a truncated stream or a wrong hash is refused, no file left",
          "[bill][integration]") {
  Fixture f;
  auto const client = MakeClient(f.server.BaseUrl());
  auto const folder = TestFolder("bad");
  struct Case {
    char const* token;
    bool gzip;
    StatusCode code;
  };
  for (auto const& c : {Case{"gzip-changed", true, StatusCode::kMalformedResponse},
                        Case{"plain-changed", false, StatusCode::kVerificationFailed},
                        Case{"truncated", true, StatusCode::kMalformedResponse},
                        Case{"wrong-hash", true, StatusCode::kVerificationFailed}}) {
    INFO(c.token);
    f.server.NextToken(c.token);
    auto info = ApplyFor(client, c.gzip);
    REQUIRE(info.ok());
    auto const target = folder / (std::string(c.token) + ".csv");
    auto written = client.DownloadBillToFile(*info, target.string());
    REQUIRE_FALSE(written.ok());
    // A deflate stream with a flipped bit is usually refused by zlib itself (a bad code or
    // its CRC-32); should it inflate to other bytes, the digest refuses them.
    if (c.code == StatusCode::kMalformedResponse && std::string(c.token) == "gzip-changed") {
      CHECK((written.status().code() == StatusCode::kMalformedResponse ||
             written.status().code() == StatusCode::kVerificationFailed));
    } else {
      CHECK(written.status().code() == c.code);
    }
    CHECK(written.status().message().find("token=") == std::string::npos);
    CHECK(FolderEmpty(folder));
  }
  std::filesystem::remove_all(folder);
}

TEST_CASE("Bills: an expired download URL is a clear error", "[bill][integration]") {
  Fixture f;
  auto const client = MakeClient(f.server.BaseUrl());
  auto const folder = TestFolder("expired");
  f.server.NextToken("expired");
  auto info = ApplyFor(client, false);
  REQUIRE(info.ok());
  auto written = client.DownloadBillToFile(*info, (folder / "bill.csv").string());
  CHECK(written.status().code() == StatusCode::kServiceError);
  CHECK(IsServiceError(written.status(), error_codes::kInvalidRequest));
  CHECK(written.status().info().http_status == 400);
  CHECK(written.status().message().find("apply for the bill again") != std::string::npos);
  CHECK(FolderEmpty(folder));
  std::filesystem::remove_all(folder);
}

TEST_CASE("Bills: a download_url on another host is refused without sending",
          "[bill][integration]") {
  Fixture f;
  BillServer other;  // another host: a second server on its own port
  other.Start();
  auto const client = MakeClient(f.server.BaseUrl());
  f.server.NextToken("plain");
  auto info = ApplyFor(client, false);
  REQUIRE(info.ok());
  auto const before = f.server.requests().size();
  for (std::string const& url : {other.BaseUrl() + "/v3/billdownload/file?token=plain",
                                 // Same host and port, another scheme.
                                 "https://127.0.0.1:" + std::to_string(f.server.port()) +
                                     "/v3/billdownload/file?token=plain",
                                 "http://localhost:" + std::to_string(f.server.port()) +
                                     "/v3/billdownload/file?token=plain"}) {
    INFO(url);
    auto elsewhere = *info;
    elsewhere.download_url = url;
    auto result = client.DownloadBill(elsewhere, [](std::string_view) { return Status(); });
    CHECK(result.status().code() == StatusCode::kInvalidArgument);
    CHECK(result.status().info().field == "download_url");
  }
  CHECK(other.requests().empty());
  CHECK(f.server.requests().size() == before);
}

TEST_CASE("Bills: the asynchronous downloads stream, verify and fail like the blocking ones",
          "[bill][integration][async]") {
  Fixture f;
  REQUIRE(f.bill.size() > 2 * 64 * 1024);  // the cut file stops after its first piece
  auto const client = MakeClient(f.server.BaseUrl());
  auto const folder = TestFolder("async");

  SECTION("into a sink, on the I/O thread") {
    f.server.NextToken("plain");
    auto info = ApplyFor(client, false);
    REQUIRE(info.ok());
    auto const caller = std::this_thread::get_id();
    std::string received;
    std::vector<std::thread::id> writers;  // read after the result arrived
    auto downloaded = client
                          .DownloadBillAsync(*info,
                                             [&](std::string_view bytes) {
                                               writers.push_back(std::this_thread::get_id());
                                               received.append(bytes);
                                               return Status();
                                             })
                          .get();
    REQUIRE(downloaded.ok());
    CHECK(received == f.bill);
    CHECK(downloaded->bill_bytes == f.bill.size());
    REQUIRE_FALSE(writers.empty());
    for (auto const& writer : writers) CHECK(writer != caller);
  }
  SECTION("into a file, gzip") {
    f.server.NextToken("gzip");
    auto info = ApplyFor(client, true);
    REQUIRE(info.ok());
    auto const target = folder / "trade.csv";
    auto written = client.DownloadBillToFileAsync(*info, target.string()).get();
    REQUIRE(written.ok());
    CHECK(written->downloaded_bytes == f.gzip.size());
    CHECK(ReadFile(target) == f.bill);
  }
  SECTION("a wrong digest or a truncated stream leaves no file once the result is there") {
    for (auto const* token : {"wrong-hash", "truncated", "expired"}) {
      INFO(token);
      f.server.NextToken(token);
      auto info = ApplyFor(client, true);
      REQUIRE(info.ok());
      auto written = client.DownloadBillToFileAsync(*info, (folder / "bad.csv").string()).get();
      REQUIRE_FALSE(written.ok());
      CHECK(written.status().message().find("token=") == std::string::npos);
      CHECK(FolderEmpty(folder));
    }
  }
  SECTION("a connection dropped after bytes arrived is not repeated, on either path") {
    for (bool async : {false, true}) {
      INFO((async ? "async" : "blocking"));
      f.server.NextToken("cut");
      auto info = ApplyFor(client, false);
      REQUIRE(info.ok());
      auto const before = f.server.requests().size();
      std::uint64_t sunk = 0;
      auto sink = [&sunk](std::string_view bytes) {
        sunk += bytes.size();
        return Status();
      };
      auto downloaded =
          async ? client.DownloadBillAsync(*info, sink).get() : client.DownloadBill(*info, sink);
      REQUIRE_FALSE(downloaded.ok());
      CHECK(downloaded.status().code() == StatusCode::kTransport);
      CHECK(sunk > 0);
      CHECK(sunk < f.bill.size());
      CHECK(f.server.requests().size() == before + 1);  // retry.max_retries is 1: not used
    }
  }
  SECTION("refused before sending: a download_url on another host, a bad path") {
    f.server.NextToken("plain");
    auto info = ApplyFor(client, false);
    REQUIRE(info.ok());
    auto const before = f.server.requests().size();
    auto elsewhere = *info;
    elsewhere.download_url = "http://localhost:1/v3/billdownload/file?token=plain";
    auto refused =
        client.DownloadBillAsync(elsewhere, [](std::string_view) { return Status(); }).get();
    CHECK(refused.status().info().field == "download_url");
    auto no_file = client.DownloadBillToFileAsync(*info, (folder / "none" / "x.csv").string());
    CHECK(no_file.get().status().info().field == "path");
    CHECK(f.server.requests().size() == before);
  }
  std::filesystem::remove_all(folder);
}

TEST_CASE("Bills: a bill five times the default body limit streams in bounded memory",
          "[bill][integration][memory]") {
  // About 22 MiB of CSV, served with its Content-Length: a buffering client would refuse the
  // announcement (the 4 MiB default) or hold all of it.
  std::string const bill = testing::SampleTradeBill(100000);
  REQUIRE(bill.size() > 5 * kDefaultMaxResponseBodyBytes);
  BillServer server;
  server.AddFile("large", {bill, bill});
  server.Start();
  auto const client = MakeClient(server.BaseUrl());
  server.NextToken("large");
  auto info = ApplyFor(client, false);
  REQUIRE(info.ok());
  // Warm up the connection and libcurl's state; the bill is downloaded twice.
  REQUIRE(client.DownloadBill(*info, [](std::string_view) { return Status(); }).ok());

  bool const measurable = testing::ResetPeakRss();
  std::size_t const before = testing::ProcStatusBytes("VmRSS");
  std::uint64_t total = 0;
  std::size_t largest_piece = 0;
  auto downloaded = client.DownloadBill(*info, [&](std::string_view bytes) {
    total += bytes.size();
    largest_piece = std::max(largest_piece, bytes.size());
    return Status();
  });
  std::size_t const peak = testing::ProcStatusBytes("VmHWM");
  REQUIRE(downloaded.ok());
  CHECK(total == bill.size());
  CHECK(downloaded->bill_bytes == bill.size());
  CHECK(largest_piece <= 1 * kMiB);
  std::size_t const growth = peak > before ? peak - before : 0;
  std::cout << "bill of " << bill.size() / kMiB << " MiB streamed: peak RSS " << growth / 1024
            << " KiB above the " << before / 1024 << " KiB before\n";
  if (measurable && before > 0) {
    // Buffering the bill would add its 22 MiB at least; streaming adds the pieces in flight.
    CHECK(growth < 8 * kMiB);
  } else {
    WARN("peak RSS cannot be reset here: memory not measured");
  }
}

TEST_CASE("CurlTransport: a streamed request's error answer is buffered within the default limit",
          "[bill][integration][curl]") {
  LoopbackServer server;
  std::string const big_error(5 * kMiB, 'e');
  server.http().Get("/error", [&](httplib::Request const&, httplib::Response& response) {
    response.status = 400;
    response.set_content(R"({"code":"INVALID_REQUEST","message":"expired"})", "application/json");
  });
  server.http().Get("/big-error", [&](httplib::Request const&, httplib::Response& response) {
    response.status = 400;
    response.set_content(big_error, "text/plain");
  });
  server.http().Get("/file", [&](httplib::Request const&, httplib::Response& response) {
    response.set_content(std::string(3 * 64 * 1024, 'f'), "text/plain");
  });
  server.Start();
  auto transport = MakeCurlTransport();
  int sink_calls = 0;
  HttpRequest request;
  request.method = "GET";
  request.max_response_body_bytes = 64 * kMiB;
  request.body_sink = [&](std::string_view) {
    ++sink_calls;
    return Status();
  };

  request.url = server.BaseUrl() + "/error";
  auto error = transport->Send(request);
  REQUIRE(error.ok());
  CHECK(error->status_code == 400);
  CHECK(error->body.find("INVALID_REQUEST") != std::string::npos);
  CHECK(sink_calls == 0);

  // The request's 64 MiB is for the file; an error body is held to the default 4 MiB.
  request.url = server.BaseUrl() + "/big-error";
  auto big = transport->Send(request);
  CHECK(big.status().code() == StatusCode::kMalformedResponse);
  CHECK(big.status().info().field == "body");
  CHECK(sink_calls == 0);

  // A sink's error ends the transfer at once and is what Send() returns.
  request.url = server.BaseUrl() + "/file";
  request.body_sink = [&](std::string_view) {
    ++sink_calls;
    return Status(StatusCode::kCancelled, "enough");
  };
  auto stopped = transport->Send(request);
  CHECK(stopped.status().code() == StatusCode::kCancelled);
  CHECK(stopped.status().message() == "enough");
  CHECK(sink_calls == 1);

  // The limit bounds what is streamed.
  request.max_response_body_bytes = 1000;
  request.body_sink = [](std::string_view) { return Status(); };
  auto limited = transport->Send(request);
  CHECK(limited.status().code() == StatusCode::kMalformedResponse);
  CHECK(limited.status().info().field == "body");
}

}  // namespace
}  // namespace wechatpay
