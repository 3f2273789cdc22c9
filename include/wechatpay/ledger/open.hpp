// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/open.hpp
/// OpenLedgerStore(): the store a configuration string names (the CLI's and the examples'
/// `--ledger`), SQLite or PostgreSQL.
#include <memory>
#include <string>

#include "wechatpay/ledger/store.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// Opens the store `url` names:
/// - `sqlite:PATH`, or a plain PATH ending in `.db`, `.sqlite` or `.sqlite3`: a
///   SqliteLedgerStore on that file (created when missing), default options;
/// - `postgresql://…` or `postgres://…` (a libpq connection URI): the PostgreSQL store, when the
///   library was built with it (WECHATPAY_HAS_POSTGRES); otherwise kInvalidArgument saying so.
/// Anything else is kInvalidArgument naming the field `ledger` and the accepted forms. Error
/// messages never quote the URL (it may hold a password).
WECHATPAY_LEDGER_EXPORT StatusOr<std::unique_ptr<LedgerStore>> OpenLedgerStore(
    std::string const& url);

}  // namespace wechatpay
