# WECHATPAY_BUILD_FUZZERS=ON: instruments every target of this build for libFuzzer (coverage
# feedback, -fsanitize=fuzzer-no-link) under the sanitizers in WECHATPAY_FUZZ_SANITIZERS, so that
# the library and the sandbox report to the fuzzer as the fuzz targets do. fuzz/CMakeLists.txt
# then links the targets with libFuzzer itself. clang only (GCC has no libFuzzer); use a build
# folder of its own: scripts/run-fuzzers.sh configures build-fuzz so.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "WECHATPAY_BUILD_FUZZERS needs clang (libFuzzer): configure a separate "
                      "build folder with CC=clang CXX=clang++ (Debian: clang libclang-rt-14-dev)")
endif()
set(WECHATPAY_FUZZ_SANITIZERS "address,undefined" CACHE STRING
    "Sanitizers of the fuzzing build (-fsanitize=...)")
# -fno-sanitize-recover: an UndefinedBehaviorSanitizer report must stop the run as a crash.
# The ignore list names third-party code only (fuzz/ubsan_ignorelist.txt says why).
add_compile_options(-fsanitize=fuzzer-no-link,${WECHATPAY_FUZZ_SANITIZERS}
                    -fno-sanitize-recover=all -fno-omit-frame-pointer
                    -fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/fuzz/ubsan_ignorelist.txt)
add_link_options(-fsanitize=${WECHATPAY_FUZZ_SANITIZERS} -fno-sanitize-recover=all)
