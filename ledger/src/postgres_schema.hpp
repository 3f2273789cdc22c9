// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The PostgreSQL ledger's schema: created on first open, migrated by version
// (ledger_schema_version holds one row), safe when several processes open the database at once.
#include "postgres_connection.hpp"

namespace wechatpay::ledger_postgres {

/// Creates the tables when absent and brings an older schema up to `target_version`, in one
/// transaction serialized across processes by a transaction-scoped advisory lock. kConfiguration
/// when the database's version is newer than `target_version` (the message names both).
Status MigratePostgresSchema(PgConnection& connection, int target_version);

}  // namespace wechatpay::ledger_postgres
