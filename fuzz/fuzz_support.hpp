// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the fuzz targets. Each target is one LLVMFuzzerTestOneInput, built twice:
// with clang and libFuzzer (fuzz/CMakeLists.txt, WECHATPAY_BUILD_FUZZERS) to search for new
// inputs, and with the project's compiler and replay_main.cpp to replay the committed corpus
// and regressions in the normal test suite. So nothing here may depend on libFuzzer.
//
// Many targets read their input as a small HTTP message, which keeps seeds readable and lets
// real traffic be committed as it was captured:
//
//   START LINE            (a request line, "HTTP 200", or empty: each target says)
//   Name: value           (any number of header fields, one per line)
//                         (an empty line)
//   body bytes            (everything after the empty line, exactly)

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "wechatpay/http/types.hpp"

namespace wechatpay::fuzz {

/// The input as text (the bytes unchanged).
inline std::string_view AsText(std::uint8_t const* data, std::size_t size) {
  return size == 0 ? std::string_view()
                   : std::string_view(reinterpret_cast<char const*>(data), size);
}

/// A property the target checks failed: report and abort, which both libFuzzer and the replay
/// driver treat as a crash (the input is kept, the test fails).
[[noreturn]] inline void Fail(char const* what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

/// Fail(what) unless `condition`.
inline void Check(bool condition, char const* what) {
  if (!condition) Fail(what);
}

/// A file under tests/data (keys, vectors); aborts when it is missing, since a target without
/// its keys would silently fuzz nothing.
inline std::string ReadTestData(std::string const& relative) {
  std::string const path = std::string(WECHATPAY_TEST_DATA_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz: cannot read %s\n", path.c_str());
    std::abort();
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// An input split as described at the top of this file.
struct HttpMessage {
  std::string start_line;
  HttpHeaders headers;
  std::string body;
};

/// Splits `text`. Lines end in "\n" (a "\r" before it is dropped); a header line without ':'
/// becomes a field with an empty value; without an empty line, everything is headers.
inline HttpMessage ParseHttpMessage(std::string_view text) {
  HttpMessage message;
  bool first = true;
  while (!text.empty()) {
    auto const end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {
      message.start_line = std::string(line);
      first = false;
      continue;
    }
    if (line.empty()) {
      message.body = std::string(text);
      break;
    }
    auto const colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value =
        colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    message.headers.Add(std::string(name), std::string(value));
  }
  return message;
}

}  // namespace wechatpay::fuzz
