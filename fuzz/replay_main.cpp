// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Replays inputs through a fuzz target without libFuzzer, so that the normal test suite (any
// compiler, any sanitizer build) runs every committed seed and every regression input:
//
//   fuzz_replay_<target> FILE_OR_FOLDER...
//
// Folders are read in name order (one level). A crash or a violated property aborts, which
// fails the test; the name of the input is printed first so the failure says which one.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool Replay(fs::path const& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", file.c_str());
    return false;
  }
  std::vector<char> const bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(), bytes.size());
  // A fresh copy of exactly `size` bytes, as libFuzzer passes it: reads past the end are caught
  // by AddressSanitizer in sanitizer builds.
  std::vector<std::uint8_t> const input(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(input.empty() ? nullptr : input.data(), input.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path const arg(argv[i]);
    std::error_code error;
    if (fs::is_directory(arg, error)) {
      std::vector<fs::path> files;
      for (auto const& entry : fs::directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (auto const& file : files) {
        if (!Replay(file)) return 1;
        ++replayed;
      }
    } else if (fs::exists(arg, error)) {
      if (!Replay(arg)) return 1;
      ++replayed;
    }
    // A missing folder is fine: a target may have no regressions yet.
  }
  std::printf("replayed %zu inputs\n", replayed);
  // No input at all means the paths are wrong, and the test would prove nothing.
  return replayed == 0 ? 1 : 0;
}
