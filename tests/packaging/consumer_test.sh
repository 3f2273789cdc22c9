#!/usr/bin/env bash
# Consumes wechatpay as an installed package: the CMake package (static and shared builds) and
# pkg-config with a plain compiler call (shared, and static from a relocated install tree). Each
# consumer signs a request and verifies the official callback vector. The shared build also runs
# the unit tests and the fuzz corpus replay against it. (add_subdirectory and FetchContent:
# subproject_test.sh.)
#
#   consumer_test.sh SOURCE_DIR BUILD_DIR     (BUILD_DIR: the static build being tested)
set -euo pipefail
# Under pipefail, `producer | grep -q` can fail although the line was found: grep -q exits at the
# first match and the producer (ldd) may then die of SIGPIPE. Pipes into grep read everything
# instead (grep >/dev/null).
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
work=$(mktemp -d /tmp/wechatpay-consumer-XXXXXX)
trap 'rm -rf "$work"' EXIT
data="$src/tests/data"
consumer="$src/tests/consumer"
jobs=$(nproc)
expected_auth='WECHATPAY2-SHA256-RSA2048 mchid="1900007291",nonce_str="eBYqCOxa0QudMnPvVilkTzOg3gHh5Z3u",timestamp="1652750623",serial_no="408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB"'

quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; return 1; }; }

check_run() {  # check_run NAME BINARY
  local out
  out=$("$2" "$data")
  grep -q "^wechatpay [0-9.]* ok$" <<<"$out" || { echo "$1: unexpected output: $out"; return 1; }
  grep -qF "$expected_auth" <<<"$out" || { echo "$1: wrong Authorization: $out"; return 1; }
  echo "ok: $1"
}

# 1. Installed static package, found with find_package.
quiet cmake --install "$build" --prefix "$work/static"
quiet cmake -S "$consumer" -B "$work/c-static" -DCMAKE_PREFIX_PATH="$work/static" \
  -DWECHATPAY_CONSUMER_COMPONENTS=ON
quiet cmake --build "$work/c-static" -j "$jobs"
(cd "$work/c-static" && ./components) | grep >/dev/null "^components ok weixin://" || { echo "components failed"; exit 1; }
echo "ok: components qr, sandbox, testing and ledger, static"
"$work/static/bin/wechatpay" --version | grep >/dev/null "^wechatpay [0-9.]*$" || { echo "installed CLI"; exit 1; }
echo "ok: installed bin/wechatpay"
if ldd "$work/c-static/consumer" | grep >/dev/null libwechatpay; then echo "static consumer links a shared libwechatpay"; exit 1; fi
check_run "find_package, static" "$work/c-static/consumer"

# The Conan/vcpkg smoke test program builds and runs against the same installed package.
quiet cmake -S "$src/test_package" -B "$work/test-package" -DCMAKE_PREFIX_PATH="$work/static"
quiet cmake --build "$work/test-package" -j "$jobs"
"$work/test-package/test_package" | grep >/dev/null "^wechatpay [0-9.]*$" || { echo "test_package failed"; exit 1; }
echo "ok: test_package"

# The README's quick start (examples/quickstart) builds as written against the installed package
# and creates an order against the installed `wechatpay sandbox`; a missing configuration is an
# error message and exit code 2, not an uncaught exception.
quiet cmake -S "$src/examples/quickstart" -B "$work/quickstart" -DCMAKE_PREFIX_PATH="$work/static"
quiet cmake --build "$work/quickstart" -j "$jobs"
"$work/static/bin/wechatpay" sandbox --listen 127.0.0.1:0 --write-config "$work/quickstart.json" \
  >"$work/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 100); do [ -s "$work/quickstart.json" ] && break; sleep 0.1; done
qs_status=0
qs_out=$("$work/quickstart/quickstart" "$work/quickstart.json" 2>&1) || qs_status=$?
kill "$sandbox_pid"; wait "$sandbox_pid" || true
[ "$qs_status" -eq 0 ] && grep -q "^code_url weixin://wxpay/bizpayurl?pr=" <<<"$qs_out" ||
  { echo "quickstart failed ($qs_status): $qs_out"; cat "$work/sandbox.out"; exit 1; }
qs_status=0
qs_out=$("$work/quickstart/quickstart" "$work/missing.json" 2>&1) || qs_status=$?
[ "$qs_status" -eq 2 ] && grep -q "^configuration: " <<<"$qs_out" ||
  { echo "quickstart without a configuration ($qs_status): $qs_out"; exit 1; }
echo "ok: examples/quickstart against the installed sandbox"

# 2. A shared build of the library, tested, installed, found with find_package. The tests that
# reach into the library's internals link them from wechatpay_internal (src/CMakeLists.txt); the
# unit tests and the fuzz replays (the targets that once failed to link here) are built and run.
quiet cmake -S "$src" -B "$work/lib-shared" -DBUILD_SHARED_LIBS=ON -DWECHATPAY_WARNINGS_AS_ERRORS=ON \
  -DWECHATPAY_BUILD_TESTS=ON -DWECHATPAY_BUILD_TOOLS=ON -DWECHATPAY_BUILD_EXAMPLES=OFF \
  -DWECHATPAY_BUILD_SANDBOX=ON -DWECHATPAY_WITH_QR=ON
quiet cmake --build "$work/lib-shared" -j "$jobs" --target wechatpay wechatpay_sandbox wechatpay_qr \
  wechatpay_ledger wechatpay_cli wechatpay_unit_tests wechatpay_fuzz_replay
quiet ctest --test-dir "$work/lib-shared" -L "^(unit|fuzz-replay)$" -j "$jobs" --output-on-failure
echo "ok: shared build: $(grep -c "Test *#" "$work/last.log") unit and fuzz replay tests pass"
quiet cmake --install "$work/lib-shared" --prefix "$work/shared"
# Hidden visibility: the public API is exported, wechatpay::internal and dependencies are not.
so=$(find "$work/shared" -name 'libwechatpay.so.*.*.*' | head -1)
exported=$(nm -D --defined-only -C "$so")
grep -q "wechatpay::NativePayClient::Create" <<<"$exported" || { echo "public API not exported"; exit 1; }
if grep -q "wechatpay::internal::" <<<"$exported"; then echo "internal symbols exported"; exit 1; fi
echo "ok: shared library exports $(wc -l <<<"$exported") symbols, none internal"
# The CLI and the sandbox link against the shared library's public API only, and the installed
# CLI finds it through its RPATH.
"$work/shared/bin/wechatpay" --version | grep >/dev/null "^wechatpay [0-9.]*$" || { echo "shared CLI"; exit 1; }
echo "ok: installed bin/wechatpay on the shared library"
quiet cmake -S "$consumer" -B "$work/c-shared" -DCMAKE_PREFIX_PATH="$work/shared"
quiet cmake --build "$work/c-shared" -j "$jobs"
ldd "$work/c-shared/consumer" | grep >/dev/null "libwechatpay.so.[0-9]" || { echo "shared consumer does not link libwechatpay.so"; exit 1; }
check_run "find_package, shared" "$work/c-shared/consumer"

# 3. pkg-config and a plain compiler call: shared, then static from a moved install tree.
libdir=$(cd "$work/shared" && dirname "$(find . -name wechatpay.pc)")
flags=$(PKG_CONFIG_PATH="$work/shared/$libdir" pkg-config --cflags --libs wechatpay)
quiet g++ -std=c++17 "$consumer/main.cpp" $flags -o "$work/pc-shared"
LD_LIBRARY_PATH="$work/shared/$(dirname "$libdir")" check_run "pkg-config, shared" "$work/pc-shared"

mv "$work/static" "$work/moved"
libdir=$(cd "$work/moved" && dirname "$(find . -name wechatpay.pc)")
flags=$(PKG_CONFIG_PATH="$work/moved/$libdir" pkg-config --cflags --libs wechatpay)
grep -q -- "-I$work/moved" <<<"$(PKG_CONFIG_PATH="$work/moved/$libdir" pkg-config --cflags wechatpay | sed 's|/\./|/|g')" \
  || { echo "pkg-config prefix does not follow the moved tree: $flags"; exit 1; }
quiet g++ -std=c++17 "$consumer/main.cpp" $flags -o "$work/pc-static"
check_run "pkg-config, static, relocated" "$work/pc-static"
# The ledger component's own .pc file (on top of wechatpay.pc; a static build lists SQLite).
flags=$(PKG_CONFIG_PATH="$work/moved/$libdir" pkg-config --cflags --libs wechatpay-ledger)
quiet g++ -std=c++17 "$consumer/ledger.cpp" $flags -o "$work/pc-ledger"
(cd "$work" && ./pc-ledger) | grep >/dev/null "^ledger ok$" || { echo "pkg-config ledger failed"; exit 1; }
echo "ok: pkg-config wechatpay-ledger, static, relocated"
# Every optional component's .pc file at once (qr, sandbox, testing, ledger): the components
# program, static, from the moved tree.
flags=$(PKG_CONFIG_PATH="$work/moved/$libdir" pkg-config --cflags --libs \
  wechatpay-qr wechatpay-sandbox wechatpay-testing wechatpay-ledger)
quiet g++ -std=c++17 "$consumer/components.cpp" $flags -o "$work/pc-components"
(cd "$work" && ./pc-components) | grep >/dev/null "^components ok weixin://" ||
  { echo "pkg-config components failed"; exit 1; }
echo "ok: pkg-config wechatpay-qr, -sandbox, -testing and -ledger, static, relocated"
