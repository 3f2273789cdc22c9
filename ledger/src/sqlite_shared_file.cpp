// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "sqlite_shared_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <utility>

namespace wechatpay::ledger_sqlite {

StatusOr<std::shared_ptr<SharedFile>> SharedFileFor(std::string const& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    int const error = errno;
    return Status(StatusCode::kUnavailable,
                  "ledger (sqlite) open " + path + ": " + std::strerror(error));
  }
  using Key = std::pair<dev_t, ino_t>;
  static std::mutex mutex;
  static std::map<Key, std::weak_ptr<SharedFile>> files;
  std::lock_guard<std::mutex> lock(mutex);
  Key const key{info.st_dev, info.st_ino};
  if (auto existing = files[key].lock()) return existing;
  // Forget files no store holds any more, so the map does not grow with every file ever opened.
  for (auto it = files.begin(); it != files.end();) {
    it = it->second.expired() ? files.erase(it) : std::next(it);
  }
  auto shared = std::make_shared<SharedFile>();
  files[key] = shared;
  return shared;
}

}  // namespace wechatpay::ledger_sqlite
