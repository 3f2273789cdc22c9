// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Conan/vcpkg smoke test: no network. Checks the linked version, that a malformed key is refused
// by name, and that the AES-256-GCM cipher round-trips.

#include <wechatpay/wechatpay.hpp>

#include <iostream>

int main() {
  std::cout << "wechatpay " << wechatpay::VersionString() << "\n";
  auto key = wechatpay::PrivateKey::FromPem("not a key");
  if (key.ok() || key.status().code() != wechatpay::StatusCode::kConfiguration) return 1;
  auto cipher = wechatpay::AesGcmCipher::Create("a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb");
  if (!cipher) return 1;
  auto sealed = cipher->Encrypt("uluk4a9R25RW", "associatedData", "message");
  if (!sealed || *sealed != "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=") return 1;
  auto opened = cipher->Decrypt("uluk4a9R25RW", "associatedData", *sealed);
  return opened && *opened == "message" ? 0 : 1;
}
