// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// OpenPostgresUrl() of a build without the PostgreSQL store (no libpq): a clear refusal. With
// libpq, ledger/CMakeLists.txt compiles postgres_*.cpp, defines WECHATPAY_HAS_POSTGRES, and the
// PostgreSQL store's sources define OpenPostgresUrl() instead.
#include "open_postgres.hpp"

#if !defined(WECHATPAY_HAS_POSTGRES)
namespace wechatpay::ledger_open {

StatusOr<std::unique_ptr<LedgerStore>> OpenPostgresUrl(std::string const& /*url*/) {
  ErrorInfo info;
  info.field = "ledger";
  return Status(StatusCode::kInvalidArgument,
                "ledger: a PostgreSQL URL, but this library was built without PostgreSQL "
                "support (libpq not found when it was built)",
                info);
}

}  // namespace wechatpay::ledger_open
#endif
