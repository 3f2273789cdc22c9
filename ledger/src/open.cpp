// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// OpenLedgerStore(): which store a configuration string names.
#include "wechatpay/ledger/open.hpp"

#include <string_view>

#include "open_postgres.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsPostgresUrl(std::string_view url) {
  return StartsWith(url, "postgresql://") || StartsWith(url, "postgres://");
}

Status Unrecognised(std::string const& why) {
  ErrorInfo info;
  info.field = "ledger";
  return Status(StatusCode::kInvalidArgument,
                "ledger: " + why +
                    "; use sqlite:PATH, a PATH ending in .db, .sqlite or .sqlite3, or a "
                    "postgresql:// (postgres://) URL",
                info);
}

}  // namespace

StatusOr<std::unique_ptr<LedgerStore>> OpenLedgerStore(std::string const& url) {
  if (url.empty()) return Unrecognised("is empty");
  if (IsPostgresUrl(url)) return ledger_open::OpenPostgresUrl(url);
  std::string path;
  if (StartsWith(url, "sqlite:")) {
    path = url.substr(std::string_view("sqlite:").size());
    if (path.empty()) return Unrecognised("sqlite: names no file");
  } else if (EndsWith(url, ".db") || EndsWith(url, ".sqlite") || EndsWith(url, ".sqlite3")) {
    path = url;
  } else {
    return Unrecognised("is not a form the ledger knows");
  }
  SqliteLedgerOptions options;
  options.path = std::move(path);
  auto store = SqliteLedgerStore::Open(std::move(options));
  if (!store.ok()) return store.status();
  return std::unique_ptr<LedgerStore>(*std::move(store));
}

}  // namespace wechatpay
