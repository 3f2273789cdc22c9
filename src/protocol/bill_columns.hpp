// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// How a bill header maps onto a row type (bill_format.cpp): each known column name names a text
// or an amount member; any other column is kept by name in the row's `other`. Columns are found
// by name, never by position, since WeChat's three trade bills already order them differently.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/bill_amount.hpp"
#include "protocol/bill_table.hpp"
#include "wechatpay/protocol/bill_format.hpp"

namespace wechatpay::internal {

/// A column name as the readers compare it: full-width parentheses "（）" read as ASCII "()",
/// so that "收支金额（元）" and "收支金额(元)" are the same column (docs/bills.md).
std::string NormalizeBillColumnName(std::string_view name);

/// A known column of `Row`: its name and the member it fills.
template <class Row>
struct BillColumnSpec {
  std::string_view name;
  std::string Row::*text = nullptr;     ///< a text column, or
  std::int64_t Row::*amount = nullptr;  ///< an amount column (yuan in the file, fen here)
};

/// The header of one file mapped onto `Row`.
template <class Row>
class BillColumnMap {
 public:
  /// Maps `header` with the known `columns`; every name of `required` must be present.
  Status Build(BillTable const& table, std::vector<std::string> const& header,
               std::vector<BillColumnSpec<Row>> const& columns,
               std::vector<std::string_view> const& required) {
    slots_.assign(header.size(), Slot{});
    names_ = header;
    for (std::size_t i = 0; i < header.size(); ++i) {
      std::string const name = NormalizeBillColumnName(header[i]);
      for (BillColumnSpec<Row> const& column : columns) {
        if (column.name != name) continue;
        // Spelled twice, once with full-width parentheses: which one is the amount?
        if (Has(column.name)) return table.FileError("the header names " + header[i] + " twice");
        slots_[i].column = &column;
      }
    }
    absent_.clear();
    for (BillColumnSpec<Row> const& column : columns) {
      if (!Has(column.name)) absent_.push_back(&column);
    }
    for (std::string_view name : required) {
      if (!Has(name)) {
        return table.FileError("the header has no column " + std::string(name) +
                               " (a column this reader requires)");
      }
    }
    return Status();
  }

  /// True when the header has the column `name` (normalized).
  bool Has(std::string_view name) const {
    for (Slot const& slot : slots_) {
      if (slot.column != nullptr && slot.column->name == name) return true;
    }
    return false;
  }

  /// One detail row: fields into members (amounts parsed), the rest into `other`. Every member
  /// is set, those of columns the header lacks to empty or 0, so that one `row` can be filled
  /// again and again: its strings keep their capacity (no allocation per field once warm, what
  /// a fresh row per line cost), also after the handler moved from it. Only the absent columns
  /// are reset first: the others are assigned anyway. False with `error` set when an amount is
  /// not one (a bool: no Status built per row).
  bool Fill(BillTable const& table, std::size_t line, std::vector<std::string_view> const& fields,
            Row& row, Status& error) const {
    for (BillColumnSpec<Row> const* column : absent_) {
      if (column->text != nullptr) {
        (row.*(column->text)).clear();
      } else {
        row.*(column->amount) = 0;
      }
    }
    row.other.clear();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      BillColumnSpec<Row> const* column = slots_[i].column;
      if (column == nullptr) {
        row.other.push_back(BillColumn{names_[i], std::string(fields[i])});
      } else if (column->text != nullptr) {
        (row.*(column->text)).assign(fields[i].data(), fields[i].size());
      } else if (std::optional<std::int64_t> plain = ParsePlainBillAmount(fields[i])) {
        row.*(column->amount) = *plain;
      } else {
        StatusOr<std::int64_t> fen = ParseBillAmount(fields[i], names_[i]);
        if (!fen.ok()) {
          error = table.Error(line, names_[i],
                              "not an amount in yuan (" + fen.status().message() + ")");
          return false;
        }
        row.*(column->amount) = *fen;
      }
    }
    return true;
  }

 private:
  struct Slot {
    BillColumnSpec<Row> const* column = nullptr;
  };
  std::vector<Slot> slots_;
  std::vector<std::string> names_;
  std::vector<BillColumnSpec<Row> const*> absent_;  // known columns the header lacks
};

}  // namespace wechatpay::internal
