// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Callbacks per second through the parser and the ledger (a NotificationHandler built by
// MakeLedgerNotificationHandler(): verify, decrypt, deduplicate and apply in one transaction),
// 8 deliveries at once, next to a floor measured in the same run: the same verification and
// decryption with bare OpenSSL (FloorVerifier, FloorGcm) and the same database writes
// (notification id insert + order update + history insert in one transaction, with the same
// durability settings) with raw sqlite3 / libpq calls, without the SDK.
//
// Each round signs a batch of TRANSACTION.SUCCESS notifications for orders recorded (untimed)
// in two databases of the same schema, one for the SDK and one for the floor; the SDK and the
// floor then each apply the whole batch, in alternating order. The ratio is the median of the
// per-round ratios, so that the machine's drift between rounds cancels.

#include <cstdint>
#include <string>

#include "wechatpay/wechatpay.hpp"

namespace wechatpay::bench {

/// What the ledger rows need from the shared material.
struct LedgerBenchInput {
  PrivateKey const* wechat_key = nullptr;
  std::string wechat_public_pem;
  SignatureVerifier const* verifier = nullptr;
  AesGcmCipher const* cipher = nullptr;
  /// The fixed time of the parser's clock and of the notifications' signatures.
  std::int64_t now = 0;
  int rounds = 7;
  /// Callbacks per round and side (a multiple of the 8 delivery threads).
  int callbacks_per_round = 400;
};

/// One store's row.
struct LedgerBenchRow {
  std::string name;
  /// The durability both sides ran with, in words.
  std::string durability;
  /// Medians over the rounds, callbacks per second of wall time with 8 threads.
  double sdk_per_s = 0;
  double floor_per_s = 0;
  /// Median of the per-round sdk / floor throughput ratios.
  double ratio = 0;
  /// Medians over the rounds of this process's CPU time per callback (all threads; the
  /// PostgreSQL server's own CPU is not in it), in microseconds.
  double sdk_cpu_us = 0;
  double floor_cpu_us = 0;
  int rounds = 0;
  int callbacks_per_round = 0;
  /// Empty when measured; otherwise why the row was skipped (e.g. no PostgreSQL binaries).
  std::string skipped;
};

/// The SQLite row: a WAL file with the store's default durability (synchronous=FULL).
LedgerBenchRow MeasureLedgerSqlite(LedgerBenchInput const& input);

/// The PostgreSQL row: a server the bench starts itself with the ledger tests' harness
/// (tests/ledger/support/postgres_server), on 127.0.0.1. Skipped when libpq support is not
/// compiled in or the server cannot be started.
LedgerBenchRow MeasureLedgerPostgres(LedgerBenchInput const& input);

}  // namespace wechatpay::bench
