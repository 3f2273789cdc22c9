// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// apply-abnormal-refund end to end against the sandbox: a refund made ABNORMAL with the control
// API, then the client's application (the sandbox decrypts the card number and the name with
// the key the request names in Wechatpay-Serial) → PROCESSING → SUCCESS with its REFUND.SUCCESS
// callback, in public-key and in platform-certificate mode; the refusals for a refund that is
// not ABNORMAL or not known; the CLI reading the secrets from a file and from stdin; and no log
// line, error or CLI output holding the card number.

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "support/loopback_server.hpp"
#include "support/parsing_receiver.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"
#include "wechatpay/protocol/error_codes.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using sandbox::KeyMode;
using testing::Eventually;
using testing::LoopbackServer;
using testing::SandboxFixture;

constexpr char kCard[] = "6222020200112233445";
constexpr char kName[] = "张三丰";

using Receiver = testing::ParsingReceiver;

// Refund processing takes 5 s of WeChat time; at 0.4 that is 2 s, time enough to make the
// refund ABNORMAL first and to apply for its payout before the first processing would end.
constexpr auto kProcessing = std::chrono::milliseconds(2000);

SandboxFixture Fixture(KeyMode mode) {
  return SandboxFixture(0.4, false,
                        [mode](sandbox::Sandbox::Options& options) { options.key_mode = mode; });
}

// The sandbox merchant's configuration; in certificate mode without the public key, so that
// the client encrypts for (and names) a downloaded platform certificate.
MerchantConfig ConfigFor(SandboxFixture const& f, KeyMode mode) {
  auto config = f.Config();
  if (mode == KeyMode::kCertificate) {
    config.verification_keys = VerificationKeys::kPlatformCertificates;
    config.platform_certificate_ca = f.identity().ca_file;
    config.wx_pay_public_key.clear();
    config.wx_pay_public_key_id.clear();
  }
  return config;
}

// A PROCESSING refund of 4 fen of the paid 10-fen order `out_trade_no`, naming `notify_url`
// (if any); returns its refund_id.
std::string RefundOf(NativePayClient const& client, std::string const& out_trade_no,
                     std::string const& out_refund_no,
                     std::optional<std::string> const& notify_url) {
  CreateRefundRequest refund;
  refund.out_trade_no = out_trade_no;
  refund.out_refund_no = out_refund_no;
  refund.amount.refund = 4;
  refund.amount.total = 10;
  refund.notify_url = notify_url;
  auto created = client.CreateRefund(refund);
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  REQUIRE(created->refund_id.has_value());
  return *created->refund_id;
}

// A paid order of 10 fen and RefundOf() it.
std::string PaidRefund(SandboxFixture const& f, NativePayClient const& client,
                       std::string const& out_trade_no, std::string const& out_refund_no,
                       std::optional<std::string> const& notify_url) {
  f.Order(client, out_trade_no, 10);
  REQUIRE(f.sandbox().Pay(out_trade_no).ok());
  return RefundOf(client, out_trade_no, out_refund_no, notify_url);
}

ApplyAbnormalRefundRequest ToCard(std::string const& refund_id, std::string const& out_refund_no) {
  ApplyAbnormalRefundRequest request;
  request.refund_id = refund_id;
  request.out_refund_no = out_refund_no;
  request.type = std::string(kAbnormalRefundToUserBankCard);
  request.bank_type = "ICBC_DEBIT";
  request.bank_account = kCard;
  request.real_name = kName;
  return request;
}

TEST_CASE("abnormal refund end to end: ABNORMAL -> PROCESSING -> SUCCESS with its callback",
          "[sandbox][abnormal-refund]") {
  auto const mode = GENERATE(KeyMode::kPublicKey, KeyMode::kCertificate);
  INFO("key mode " << (mode == KeyMode::kPublicKey ? "public-key" : "certificate"));
  Receiver receiver;  // outlives the sandbox
  auto f = Fixture(mode);
  auto const config = ConfigFor(f, mode);
  ClientOptions options;
  options.sleep = [](std::chrono::milliseconds) {};
  auto client = NativePayClient::Create(config, options).value();
  // The client's own parser: in certificate mode it verifies with the certificates it holds.
  receiver.Attach(client.MakeNotificationParser().value());
  f.Order(client, "SBXABN0001", 10);
  REQUIRE(f.sandbox().Pay("SBXABN0001").ok());
  auto const created_at = std::chrono::steady_clock::now();
  auto const refund_id = RefundOf(client, "SBXABN0001", "SBXABNRF0001", receiver.Url());
  REQUIRE(f.sandbox().RefundAbnormal("SBXABNRF0001").ok());
  REQUIRE(Eventually([&] { return receiver.Events().size() == 1; }));
  CHECK(receiver.Events()[0] == "REFUND.ABNORMAL");

  // Half-way through the refund's first processing time, so that its timer fires while the
  // payout is PROCESSING: it must leave the payout alone.
  std::this_thread::sleep_until(created_at + kProcessing / 2);
  auto applied = client.ApplyAbnormalRefund(ToCard(refund_id, "SBXABNRF0001"));
  INFO(applied.status().ToString());
  REQUIRE(applied.ok());
  CHECK(applied->status == "PROCESSING");
  CHECK(applied->refund_id == refund_id);
  CHECK(applied->channel == "OTHER_BANKCARD");
  // The sandbox shows the card as WeChat does, bank and last four digits: it decrypted the
  // number with the key Wechatpay-Serial named, so header and ciphertext agreed.
  CHECK(applied->user_received_account == "ICBC_DEBIT 3445");
  CHECK(client.QueryRefund("SBXABNRF0001")->status == "PROCESSING");
  std::this_thread::sleep_until(created_at + kProcessing * 5 / 4);
  CHECK(client.QueryRefund("SBXABNRF0001")->status == "PROCESSING");
  CHECK(receiver.Events().size() == 1);

  // The scheduler completes it as it completes any refund, with REFUND.SUCCESS.
  REQUIRE(Eventually([&] { return receiver.Events().size() == 2; }, std::chrono::seconds(10)));
  CHECK(receiver.Events()[1] == "REFUND.SUCCESS");
  auto done = client.QueryRefund("SBXABNRF0001");
  REQUIRE(done.ok());
  CHECK(done->status == "SUCCESS");
  CHECK(done->success_time.has_value());

  // Once paid out it is no longer ABNORMAL: a second application is refused.
  auto again = client.ApplyAbnormalRefund(ToCard(refund_id, "SBXABNRF0001"));
  REQUIRE_FALSE(again.ok());
  CHECK(IsServiceError(again.status(), "INVALID_REQUEST"));
  CHECK_FALSE(again.status().info().outcome_unknown);
}

TEST_CASE("abnormal refund: refused for a refund that is not ABNORMAL or not known",
          "[sandbox][abnormal-refund]") {
  auto f = Fixture(KeyMode::kPublicKey);
  auto client = f.Client();
  auto const refund_id = PaidRefund(f, client, "SBXABN0002", "SBXABNRF0002", std::nullopt);

  auto processing = client.ApplyAbnormalRefund(ToCard(refund_id, "SBXABNRF0002"));
  REQUIRE_FALSE(processing.ok());
  CHECK(IsServiceError(processing.status(), "INVALID_REQUEST"));
  CHECK(processing.status().info().http_status == 400);
  CHECK(processing.status().message().find("ABNORMAL") != std::string::npos);
  CHECK(client.QueryRefund("SBXABNRF0002")->status == "PROCESSING");

  REQUIRE(f.sandbox().RefundAbnormal("SBXABNRF0002").ok());
  // A refund_id that is not this refund's, an out_refund_no nobody used.
  auto wrong_id =
      client.ApplyAbnormalRefund(ToCard("50300000000000000000000000001", "SBXABNRF0002"));
  CHECK(IsServiceError(wrong_id.status(), "RESOURCE_NOT_EXISTS"));
  auto unknown = client.ApplyAbnormalRefund(ToCard(refund_id, "SBXABNRF9999"));
  CHECK(IsServiceError(unknown.status(), "RESOURCE_NOT_EXISTS"));
  CHECK(client.QueryRefund("SBXABNRF0002")->status == "ABNORMAL");

  // To the merchant's account: no card data, accepted.
  ApplyAbnormalRefundRequest to_merchant;
  to_merchant.refund_id = refund_id;
  to_merchant.out_refund_no = "SBXABNRF0002";
  to_merchant.type = std::string(kAbnormalRefundToMerchantBankCard);
  auto accepted = client.ApplyAbnormalRefund(to_merchant);
  INFO(accepted.status().ToString());
  REQUIRE(accepted.ok());
  CHECK(accepted->status == "PROCESSING");
  CHECK(accepted->user_received_account == "商户结算银行账户");
}

TEST_CASE("abnormal refund: the sandbox decrypts with the key Wechatpay-Serial names",
          "[sandbox][abnormal-refund]") {
  // Both keys exist in `both` mode: the public key and a platform certificate.
  auto f = Fixture(KeyMode::kBoth);
  auto client = f.Client();
  auto const refund_id = PaidRefund(f, client, "SBXABN0005", "SBXABNRF0005", std::nullopt);
  REQUIRE(f.sandbox().RefundAbnormal("SBXABNRF0005").ok());
  auto const listed = f.sandbox().PlatformCertificates().at(0);
  auto const certificate = PlatformCertificate::FromPem(listed.certificate_pem).value();
  std::string const body =
      R"({"out_refund_no":"SBXABNRF0005","type":"USER_BANK_CARD","bank_type":"ICBC_DEBIT",)"
      R"("bank_account":")" +
      certificate.public_key().EncryptOaep(kCard).value() + R"(","real_name":")" +
      certificate.public_key().EncryptOaep(kName).value() + R"("})";
  std::string const target = "/v3/refund/domestic/refunds/" + refund_id + "/apply-abnormal-refund";
  auto send = [&](std::optional<std::string> const& serial) {
    std::vector<std::string> headers = {
        "Authorization: " + testing::SandboxAuthorization(f.identity(), "POST", target, body),
        "Accept: application/json", "Content-Type: application/json",
        "User-Agent: sandbox-test/1.0"};
    if (serial) headers.push_back("Wechatpay-Serial: " + *serial);
    return testing::RawRequest("POST", f.BaseUrl() + target, headers, body, f.identity().ca_file);
  };

  auto const no_serial = send(std::nullopt);
  CHECK(no_serial.status == 400);
  CHECK(no_serial.body.find("PARAM_ERROR") != std::string::npos);
  CHECK(no_serial.body.find("Wechatpay-Serial") != std::string::npos);
  // Encrypted for the certificate, the header naming the public key: WeChat cannot decrypt.
  auto const other_key = send(f.identity().wechatpay_public_key_id);
  CHECK(other_key.status == 400);
  CHECK(other_key.body.find("PARAM_ERROR") != std::string::npos);
  CHECK(other_key.body.find("bank_account") != std::string::npos);
  auto const unknown = send("0123456789ABCDEF0123456789ABCDEF01234567");
  CHECK(unknown.status == 400);
  for (auto const* refused : {&no_serial, &other_key, &unknown}) {
    CHECK(refused->body.find(kCard) == std::string::npos);
  }
  CHECK(client.QueryRefund("SBXABNRF0005")->status == "ABNORMAL");
  // The header naming the key used: accepted, the card read back right.
  auto const accepted = send(listed.serial_no);
  INFO(accepted.body);
  CHECK(accepted.status == 200);
  CHECK(accepted.body.find(R"("status":"PROCESSING")") != std::string::npos);
  CHECK(accepted.body.find(R"("user_received_account":"ICBC_DEBIT 3445")") != std::string::npos);
}

TEST_CASE("abnormal refund: the card number is in no log line, error or CLI output",
          "[sandbox][abnormal-refund][secrets]") {
  auto f = Fixture(KeyMode::kPublicKey);
  std::mutex mu;
  std::vector<std::string> texts;
  ClientOptions options;
  options.sleep = [](std::chrono::milliseconds) {};
  options.logger = [&](LogLevel, std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    texts.emplace_back(line);
  };
  auto client = NativePayClient::Create(f.Config(), options).value();
  auto const refund_id = PaidRefund(f, client, "SBXABN0003", "SBXABNRF0003", std::nullopt);
  // Refused (still PROCESSING), then accepted once ABNORMAL.
  auto refused = client.ApplyAbnormalRefund(ToCard(refund_id, "SBXABNRF0003"));
  REQUIRE_FALSE(refused.ok());
  texts.push_back(refused.status().ToString());
  REQUIRE(f.sandbox().RefundAbnormal("SBXABNRF0003").ok());
  auto accepted = client.ApplyAbnormalRefund(ToCard(refund_id, "SBXABNRF0003"));
  REQUIRE(accepted.ok());
  texts.push_back(accepted->raw_json);

  // The CLI, --verbose, the secrets from files and from stdin; a second order for stdin.
  testing::TempDir dir;
  std::string const config_path = dir.path() + "/config.json";
  REQUIRE(f.sandbox().WriteClientConfig(config_path).ok());
  std::string const card_file = dir.path() + "/card.txt";
  std::string const name_file = dir.path() + "/name.txt";
  std::ofstream(card_file) << kCard << "\n";
  std::ofstream(name_file) << kName << "\n";
  auto const cli_refund_id = PaidRefund(f, client, "SBXABN0004", "SBXABNRF0004", std::nullopt);
  REQUIRE(f.sandbox().RefundAbnormal("SBXABNRF0004").ok());
  std::vector<std::string> const args = {"--config",       config_path,
                                         "--verbose",      "refund",
                                         "abnormal",       "--refund-id",
                                         cli_refund_id,    "--out-refund-no",
                                         "SBXABNRF0004",   "--type",
                                         "USER_BANK_CARD", "--bank-type",
                                         "ICBC_DEBIT",     "--bank-account-file",
                                         card_file,        "--real-name-file",
                                         name_file};
  auto const by_file = testing::RunCli(args);
  INFO(by_file.err);
  CHECK(by_file.exit_code == 0);
  CHECK(by_file.out.find(R"("status":"PROCESSING")") != std::string::npos);
  CHECK(by_file.out.find(R"("user_received_account":"ICBC_DEBIT 3445")") != std::string::npos);
  texts.push_back(by_file.out);
  texts.push_back(by_file.err);

  // Again, the card from stdin: the refund is PROCESSING now, so WeChat refuses (exit 1).
  auto stdin_args = args;
  stdin_args[14] = "-";  // --bank-account-file -
  auto const by_stdin =
      testing::RunProcessWithInput(WECHATPAY_CLI_PATH, stdin_args, std::string(kCard) + "\n");
  CHECK(by_stdin.exit_code == 1);
  CHECK(by_stdin.err.find("INVALID_REQUEST") != std::string::npos);
  texts.push_back(by_stdin.out);
  texts.push_back(by_stdin.err);
  // A card number with a space: refused before sending, the value not quoted (exit 2).
  std::ofstream(card_file) << "6222 020200112233445\n";
  auto const bad = testing::RunCli(args);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("bank_account") != std::string::npos);
  texts.push_back(bad.out);
  texts.push_back(bad.err);

  REQUIRE(texts.size() > 8);
  for (auto const& text : texts) {
    INFO(text);
    CHECK(text.find(kCard) == std::string::npos);
    CHECK(text.find("020200112233445") == std::string::npos);
    CHECK(text.find(kName) == std::string::npos);
  }
}

TEST_CASE("wechatpay refund abnormal --help explains every option with an example",
          "[abnormal-refund][cli]") {
  auto const help = testing::RunCli({"refund", "abnormal", "--help"});
  CHECK(help.exit_code == 0);
  for (char const* part :
       {"--refund-id", "--out-refund-no", "--type", "USER_BANK_CARD", "MERCHANT_BANK_CARD",
        "--bank-type", "--bank-account-file", "--real-name-file", "- for stdin", "Example:"}) {
    INFO(part);
    CHECK(help.out.find(part) != std::string::npos);
  }
  // The plain `refund` command is unchanged and points at the new one.
  auto const refund_help = testing::RunCli({"refund", "--help"});
  CHECK(refund_help.exit_code == 0);
  CHECK(refund_help.out.find("--out-refund-no R --refund FEN") != std::string::npos);
  CHECK(refund_help.out.find("Subcommands:") != std::string::npos);
  CHECK(refund_help.out.find("abnormal") != std::string::npos);
  // The secret itself is never an option.
  auto const inline_secret =
      testing::RunCli({"refund", "abnormal", "--bank-account=6222020200112233445"});
  CHECK(inline_secret.exit_code == 2);
  CHECK(inline_secret.err.find("6222020200112233445") == std::string::npos);
}

}  // namespace
}  // namespace wechatpay
