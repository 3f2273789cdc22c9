// Context of docs/ledger.md's block reconciling one day's trade bill with the ledger: the
// instance's ledger.
#include <iostream>
#include <memory>

#include <wechatpay/ledger/bill_reconciler.hpp>
#include <wechatpay/ledger/ledger.hpp>
#include <wechatpay/protocol/bill_format.hpp>

void Reconcile(std::shared_ptr<wechatpay::Ledger> const& ledger) {
  // SNIPPET
}
