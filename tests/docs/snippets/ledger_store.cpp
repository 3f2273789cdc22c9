// Context of the store pages' blocks (docs/ledger-sqlite.md, docs/ledger-postgresql.md).
#include <wechatpay/ledger/postgres_store.hpp>
#include <wechatpay/ledger/sqlite_store.hpp>

void OpenStore() {
  // SNIPPET
}
