// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: configuration loading, the JSON of the configuration file (docs/cli.md) to a
// MerchantConfig, through the function LoadMerchantConfigFile() calls with the file's contents.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config_parse.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace wechatpay;
  auto const config =
      internal::ParseMerchantConfig(fuzz::AsText(data, size), "/fuzz/config/wechatpay.json");
  if (config.ok()) {
    // Relative key paths are resolved against the file's folder; PEM text is kept as is.
    for (auto const* value : {&config->private_key, &config->wx_pay_public_key, &config->ca_file}) {
      if (value->empty() || value->find("-----BEGIN") != std::string::npos) continue;
      fuzz::Check(value->front() == '/', "a key path from the file is absolute after loading");
    }
    fuzz::Check(config->timeouts.connect.count() > 0 && config->timeouts.total.count() > 0,
                "timeouts are positive");
  } else {
    fuzz::Check(config.status().code() == StatusCode::kConfiguration,
                "a configuration that does not load is a configuration error");
    fuzz::Check(config.status().message().find("/fuzz/config/wechatpay.json") != std::string::npos,
                "a configuration error names the file");
  }
  return 0;
}
