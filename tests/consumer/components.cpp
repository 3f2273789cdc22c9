// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The optional components of the installed package: wechatpay::qr renders a code_url,
// wechatpay::sandbox starts, answers one signed order over plain HTTP, and stops,
// wechatpay::testing's fake channel answers an order, and wechatpay::ledger records it in a
// SQLite file.

#include <wechatpay/ledger/open.hpp>
#include <wechatpay/qr.hpp>
#include <wechatpay/sandbox/sandbox.hpp>
#include <wechatpay/testing/fake_channel.hpp>
#include <wechatpay/wechatpay.hpp>

#include <cstdio>
#include <iostream>
#include <string>

int main() {
  auto svg = wechatpay::RenderQrSvg("weixin://wxpay/bizpayurl?pr=consumer");
  if (!svg || svg->find("<svg") == std::string::npos) {
    std::cerr << "qr: " << svg.status().ToString() << "\n";
    return 1;
  }
  wechatpay::sandbox::Sandbox::Options options;
  options.plain_http = true;
  wechatpay::sandbox::Sandbox sandbox(options);
  if (auto status = sandbox.Start(); !status.ok()) {
    std::cerr << "sandbox: " << status.ToString() << "\n";
    return 1;
  }
  auto client = wechatpay::NativePayClient::Create(sandbox.ClientConfig());
  if (!client) {
    std::cerr << "client: " << client.status().ToString() << "\n";
    return 1;
  }
  wechatpay::NativePrepayRequest order;
  order.out_trade_no = "CONSUMER000001";
  order.description = "consumer";
  order.amount.total = 1;
  auto placed = client->NativePrepay(order);
  if (!placed) {
    std::cerr << "order: " << placed.status().ToString() << "\n";
    return 1;
  }
  sandbox.Stop();
  auto fake = std::make_shared<wechatpay::testing::FakeNativePayChannel>();
  fake->native_prepay().Queue(*placed);
  if (wechatpay::NativePayClient(fake).NativePrepay(order)->code_url != placed->code_url ||
      fake->native_prepay().calls() != 1) {
    std::cerr << "testing: the fake channel did not answer\n";
    return 1;
  }
  std::string const ledger_path = "components-ledger.db";
  std::remove(ledger_path.c_str());
  auto ledger = wechatpay::OpenLedgerStore("sqlite:" + ledger_path);
  if (!ledger) {
    std::cerr << "ledger: " << ledger.status().ToString() << "\n";
    return 1;
  }
  auto recorded = (*ledger)->Mutate(
      order.out_trade_no, "",
      [&](wechatpay::LedgerRows const&) -> wechatpay::StatusOr<wechatpay::LedgerChange> {
        wechatpay::LedgerChange change;
        change.order.emplace();
        change.order->out_trade_no = order.out_trade_no;
        change.order->state = wechatpay::LedgerOrderState::kNotPaid;
        change.order->code_url = placed->code_url;
        return change;
      });
  if (!recorded || !recorded->rows.order || recorded->rows.order->version != 1) {
    std::cerr << "ledger: the order was not recorded\n";
    return 1;
  }
  std::cout << "components ok " << placed->code_url << "\n";
  return 0;
}
