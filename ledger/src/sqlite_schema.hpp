// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The SQLite store's schema (docs/ledger.md, "Schema") and its migration.
#include "sqlite_connection.hpp"

namespace wechatpay::ledger_sqlite {

/// The schema version this library writes and reads.
inline constexpr int kSchemaVersion = 1;

/// Brings the database to kSchemaVersion in one BEGIN IMMEDIATE transaction, so that two
/// connections (threads or processes) migrating at once do it once: the second waits, then finds
/// the version current. Running it on a current database changes nothing. A database whose
/// version is newer than kSchemaVersion is refused (kConfiguration naming both versions).
Status Migrate(Connection& connection);

}  // namespace wechatpay::ledger_sqlite
