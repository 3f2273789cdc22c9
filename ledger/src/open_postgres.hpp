// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The PostgreSQL half of OpenLedgerStore() (open.cpp hands it every postgresql:// and
// postgres:// URL). Defined by the PostgreSQL store's sources (postgres_*.cpp, compiled with
// libpq, which also defines WECHATPAY_HAS_POSTGRES); without them, by open_postgres.cpp.
#include <memory>
#include <string>

#include "wechatpay/ledger/store.hpp"

namespace wechatpay::ledger_open {

StatusOr<std::unique_ptr<LedgerStore>> OpenPostgresUrl(std::string const& url);

}  // namespace wechatpay::ledger_open
