// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "http/ca_file.hpp"

#include "common/config_error.hpp"
#include "common/file_path.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"

namespace wechatpay::internal {

Status CheckCaFile(std::string const& ca_file) {
  if (ca_file.empty()) return Status();
  FileProblem const problem = CheckReadableFile(ca_file);
  if (problem == FileProblem::kNone) return Status();
  // A CA bundle's path is not a secret (nor is a bundle): quoting it, bounded, helps find it.
  return ConfigError("caFile", "caFile " + QuoteForMessage(ca_file) + " " +
                                   std::string(DescribeFileProblem(problem)) +
                                   "; expected the path of a PEM CA bundle");
}

}  // namespace wechatpay::internal
