// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient::DownloadBill and DownloadBillToFile over a scripted transport: the digest
// over the decompressed bytes decides, and a file appears only once it matched.

#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <unistd.h>

#include "catch.hpp"
#include "support/bill_files.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::RecordingTransport;
using testing::TestMerchant;
using testing::WeChatPaySigner;

constexpr char kUrl[] = "https://api.mch.weixin.qq.com/v3/billdownload/file?token=T";

struct Fixture {
  std::shared_ptr<RecordingTransport> transport = std::make_shared<RecordingTransport>();
  NativePayClient client = Make();

  NativePayClient Make() {
    ClientOptions options;
    options.transport = transport;
    options.retry.max_retries = 0;
    return NativePayClient::Create(TestMerchant::Config(), options).value();
  }

  void Serve(std::string file) {
    transport->PushResult(WeChatPaySigner::Unsigned(200, std::move(file)));
  }
};

BillDownloadInfo InfoFor(std::string const& bill, bool gzip) {
  BillDownloadInfo info;
  info.hash_type = "SHA1";
  info.hash_value = testing::Sha1Hex(bill);
  info.download_url = kUrl;
  info.gzip = gzip;
  return info;
}

std::string ReadFile(std::filesystem::path const& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A fresh, empty folder for one test.
std::filesystem::path TestFolder(std::string const& name) {
  auto const folder = std::filesystem::temp_directory_path() /
                      ("wechatpay-bill-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

std::size_t Entries(std::filesystem::path const& folder) {
  std::size_t n = 0;
  for ([[maybe_unused]] auto const& entry : std::filesystem::directory_iterator(folder)) ++n;
  return n;
}

TEST_CASE("DownloadBill passes a plain bill on and checks its digest", "[bill]") {
  Fixture f;
  auto const bill = testing::SampleTradeBill(50);
  f.Serve(bill);
  std::string received;
  auto result = f.client.DownloadBill(InfoFor(bill, false), [&](std::string_view bytes) {
    received.append(bytes);
    return Status();
  });
  REQUIRE(result.ok());
  CHECK(received == bill);
  CHECK(result->bill_bytes == bill.size());
  CHECK(result->downloaded_bytes == bill.size());
  CHECK(result->meta.http_status == 200);
}

TEST_CASE("DownloadBill inflates a gzip bill and hashes the decompressed bytes", "[bill]") {
  Fixture f;
  auto const bill = testing::SampleTradeBill(2000);
  auto const gzip = testing::Gzip(bill);
  f.Serve(gzip);
  auto info = InfoFor(bill, true);
  for (auto& c : info.hash_value)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string received;
  auto result = f.client.DownloadBill(info, [&](std::string_view bytes) {
    received.append(bytes);
    return Status();
  });
  REQUIRE(result.ok());
  CHECK(received == bill);
  CHECK(result->downloaded_bytes == gzip.size());
  CHECK(result->bill_bytes == bill.size());
}

TEST_CASE("DownloadBill refuses a changed byte, a wrong hash and a truncated stream", "[bill]") {
  auto const bill = testing::SampleTradeBill(200);
  auto const sink = [](std::string_view) { return Status(); };
  SECTION("one byte changed in a plain bill") {
    Fixture f;
    auto changed = bill;
    changed[bill.size() / 2] ^= 1;
    f.Serve(changed);
    auto result = f.client.DownloadBill(InfoFor(bill, false), sink);
    CHECK(result.status().code() == StatusCode::kVerificationFailed);
    CHECK(result.status().info().http_status == 200);
  }
  SECTION("a hash that is not the file's") {
    Fixture f;
    f.Serve(testing::Gzip(bill));
    auto info = InfoFor(bill, true);
    info.hash_value = testing::Sha1Hex("another bill");
    CHECK(f.client.DownloadBill(info, sink).status().code() == StatusCode::kVerificationFailed);
  }
  SECTION("a gzip stream cut short") {
    Fixture f;
    auto const gzip = testing::Gzip(bill);
    f.Serve(gzip.substr(0, gzip.size() - 10));
    auto result = f.client.DownloadBill(InfoFor(bill, true), sink);
    CHECK(result.status().code() == StatusCode::kMalformedResponse);
  }
  SECTION("a plain bill declared gzip") {
    Fixture f;
    f.Serve(bill);
    auto result = f.client.DownloadBill(InfoFor(bill, true), sink);
    CHECK(result.status().code() == StatusCode::kMalformedResponse);
    CHECK(f.transport->count() == 1);  // bytes reached the check: never repeated
  }
}

TEST_CASE("DownloadBillToFile writes the file only once the digest matched", "[bill]") {
  auto const folder = TestFolder("unit");
  auto const target = folder / "trade-2023-11-14.csv";
  auto const bill = testing::SampleTradeBill(300);
  {
    Fixture f;
    f.Serve(testing::Gzip(bill));
    auto result = f.client.DownloadBillToFile(InfoFor(bill, true), target.string());
    REQUIRE(result.ok());
    CHECK(ReadFile(target) == bill);
    CHECK(Entries(folder) == 1);  // no temporary file left next to it
  }
  {
    // A corrupt download leaves the earlier file as it was and nothing else.
    Fixture f;
    auto changed = bill;
    changed[10] ^= 1;
    f.Serve(changed);
    auto result = f.client.DownloadBillToFile(InfoFor(bill, false), target.string());
    CHECK(result.status().code() == StatusCode::kVerificationFailed);
    CHECK(ReadFile(target) == bill);
    CHECK(Entries(folder) == 1);
  }
  {
    Fixture f;
    f.Serve(bill);
    auto const fresh = folder / "fresh.csv";
    auto info = InfoFor(bill, false);
    info.hash_value = testing::Sha1Hex("x");
    CHECK_FALSE(f.client.DownloadBillToFile(info, fresh.string()).ok());
    CHECK_FALSE(std::filesystem::exists(fresh));
    CHECK(Entries(folder) == 1);
  }
  {
    Fixture f;
    auto const missing = folder / "no-such-folder" / "bill.csv";
    auto result = f.client.DownloadBillToFile(InfoFor(bill, false), missing.string());
    CHECK(result.status().code() == StatusCode::kInvalidArgument);
    CHECK(result.status().info().field == "path");
    CHECK(f.transport->count() == 0);
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace wechatpay
