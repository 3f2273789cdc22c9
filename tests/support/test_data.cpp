// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/test_data.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wechatpay::testing {

std::string DataPath(std::string const& relative) {
  return std::string(WECHATPAY_TEST_DATA_DIR) + "/" + relative;
}

std::string ReadFile(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string ReadData(std::string const& relative) { return ReadFile(DataPath(relative)); }

}  // namespace wechatpay::testing
