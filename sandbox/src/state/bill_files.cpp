// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/bill_files.hpp"

#include "state/random_ids.hpp"

namespace wechatpay::sandbox::internal {

namespace {
constexpr std::size_t kTokenLength = 32;
}  // namespace

std::string BillFiles::Issue(BillFile file, SystemClock::time_point now) {
  auto shared = std::make_shared<BillFile const>(std::move(file));
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = files_.begin(); it != files_.end();) {
    it = now >= it->second.file->expires ? files_.erase(it) : std::next(it);
  }
  while (files_.size() >= kMaxFiles) {
    auto oldest = files_.begin();
    for (auto it = files_.begin(); it != files_.end(); ++it) {
      if (it->second.sequence < oldest->second.sequence) oldest = it;
    }
    files_.erase(oldest);
  }
  std::string token;
  do {
    token = RandomAlnum(kTokenLength);
  } while (files_.count(token) != 0);
  files_[token] = Entry{next_sequence_++, std::move(shared)};
  return token;
}

std::shared_ptr<BillFile const> BillFiles::Find(std::string const& token,
                                                SystemClock::time_point now,
                                                Verdict& verdict) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto const it = files_.find(token);
  if (it == files_.end()) {
    verdict = Verdict::kUnknown;
    return nullptr;
  }
  if (now >= it->second.file->expires) {
    verdict = Verdict::kExpired;
    return nullptr;
  }
  verdict = Verdict::kValid;
  return it->second.file;
}

}  // namespace wechatpay::sandbox::internal
