// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Crash safety through the real delivery path: the sandbox pays orders and POSTs their signed
// callbacks over real sockets to a receiving process (this test executable run with a hidden
// tag: cpp-httplib + MakeLedgerNotificationHandler over the store under test). That process is
// killed with SIGKILL at random moments and restarted on the same port; the sandbox redelivers
// on its own schedule (scaled down). In the end: none lost, none applied twice, none stuck.

#include <functional>
#include <string>

namespace wechatpay::testing {

/// Runs the scenario against the store `store_url` names (OpenLedgerStore's forms) and checks
/// the ledger (Catch assertions). `notification_rows` counts the rows of ledger_notifications
/// straight from the database. `label` prefixes the printed figures.
void RunCrashDelivery(std::string const& store_url,
                      std::function<long long()> const& notification_rows,
                      std::string const& label);

}  // namespace wechatpay::testing
