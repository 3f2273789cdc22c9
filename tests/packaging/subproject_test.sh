#!/usr/bin/env bash
# wechatpay as a clean dependency of another CMake project: a fresh parent project that has its
# own `docs` target and includes the source tree, on a machine where cpp-httplib is not found
# (it is needed only by the sandbox and the tests). Checked:
# - add_subdirectory (configured, built, its program run), FetchContent with SOURCE_DIR
#   (configured) and FetchContent with a URL and its SHA-256 (a release-style tarball of the
#   tracked files, served as a file:// URL so the test needs no network; configured, built, run)
#   all succeed;
# - only the library's targets exist: no CLI, sandbox, QR, test or example target, and every
#   target name starts with wechatpay (the parent's `docs` is the parent's);
# - nothing is written into the parent's cache (CMAKE_BUILD_TYPE stays empty, no
#   BUILD_SHARED_LIBS), no install rule is added, and no -Werror reaches the parent's code even
#   with WECHATPAY_WARNINGS_AS_ERRORS=ON.
#
#   subproject_test.sh SOURCE_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/wechatpay-subproject-XXXXXX)
trap 'rm -rf "$work"' EXIT
data="$src/tests/data"
jobs=$(nproc)
expected_auth='WECHATPAY2-SHA256-RSA2048 mchid="1900007291",nonce_str="eBYqCOxa0QudMnPvVilkTzOg3gHh5Z3u",timestamp="1652750623",serial_no="408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB"'

quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; return 1; }; }
fail() { echo "FAIL: $*"; exit 1; }

# cpp-httplib is found through its CMake package (vcpkg, Conan) or pkg-config (Debian), see
# cmake/FindHttplibShim.cmake: the first is disabled on the command line, the second by a
# pkg-config that knows every package but cpp-httplib.
real_pkg_config=$(command -v pkg-config)
cat >"$work/pkg-config" <<EOF
#!/bin/sh
for arg in "\$@"; do
  case "\$arg" in cpp-httplib*) exit 1 ;; esac
done
exec "$real_pkg_config" "\$@"
EOF
chmod +x "$work/pkg-config"
no_httplib=(-DCMAKE_DISABLE_FIND_PACKAGE_httplib=ON -DPKG_CONFIG_EXECUTABLE="$work/pkg-config")
"$work/pkg-config" --exists cpp-httplib && fail "the pkg-config wrapper still finds cpp-httplib"

# The parent's part, shared by both ways of including wechatpay ($1: how).
write_parent() {  # write_parent DIR INCLUDE_LINES
  mkdir -p "$1"
  cat >"$1/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.16)
project(parent LANGUAGES CXX)
# The parent's own documentation target: a subproject must not take the name.
add_custom_target(docs COMMAND \${CMAKE_COMMAND} -E touch \${CMAKE_BINARY_DIR}/parent-docs-built)
$2
add_executable(consumer "$src/tests/consumer/main.cpp")
target_link_libraries(consumer PRIVATE wechatpay::wechatpay)

# Every target wechatpay defined (its folder and those below), one "name type" per line.
function(list_targets dir)
  get_property(targets DIRECTORY "\${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type \${target} TYPE)
    file(APPEND "\${CMAKE_BINARY_DIR}/wechatpay-targets.txt" "\${target} \${type}\n")
  endforeach()
  get_property(subdirs DIRECTORY "\${dir}" PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    list_targets("\${subdir}")
  endforeach()
endfunction()
file(REMOVE "\${CMAKE_BINARY_DIR}/wechatpay-targets.txt")
list_targets("$src")
EOF
}

check_parent() {  # check_parent NAME BUILD_DIR
  local name=$1 build=$2 targets
  targets=$(cat "$build/wechatpay-targets.txt")
  grep -q "^wechatpay \(STATIC\|SHARED\)_LIBRARY$" <<<"$targets" || fail "$name: no wechatpay library: $targets"
  if grep -v "^wechatpay[a-z_]* " <<<"$targets"; then fail "$name: targets without the wechatpay prefix"; fi
  if grep " EXECUTABLE$" <<<"$targets"; then fail "$name: executables built"; fi
  if grep -E "^wechatpay_(sandbox|qr|cli|docs|test_support|[a-z_]*tests) " <<<"$targets"; then
    fail "$name: more than the library"
  fi
  grep -q "^CMAKE_BUILD_TYPE:STRING=$" "$build/CMakeCache.txt" \
    || fail "$name: parent's CMAKE_BUILD_TYPE written: $(grep '^CMAKE_BUILD_TYPE:' "$build/CMakeCache.txt")"
  if grep "^BUILD_SHARED_LIBS:" "$build/CMakeCache.txt"; then fail "$name: BUILD_SHARED_LIBS cached"; fi
  echo "ok: $name: only the library ($(wc -l <<<"$targets") targets: $(cut -d' ' -f1 <<<"$targets" | tr '\n' ' '))"
}

# 1. add_subdirectory: configured, built (everything of the parent), run.
write_parent "$work/p-subdir" "set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
add_subdirectory(\"$src\" wechatpay)"
quiet cmake -S "$work/p-subdir" -B "$work/b-subdir" "${no_httplib[@]}" -DWECHATPAY_WARNINGS_AS_ERRORS=ON
check_parent "add_subdirectory" "$work/b-subdir"
quiet cmake --build "$work/b-subdir" -j "$jobs"
out=$("$work/b-subdir/consumer" "$data")
grep -q "^wechatpay [0-9.]* ok$" <<<"$out" || fail "add_subdirectory: unexpected output: $out"
grep -qF "$expected_auth" <<<"$out" || fail "add_subdirectory: wrong Authorization: $out"
echo "ok: add_subdirectory: consumer signs and verifies"
# The library itself is compiled with -Werror (asked for); the parent's own code is not.
python3 - "$work/b-subdir/compile_commands.json" "$src" <<'EOF' || fail "add_subdirectory: -Werror reaches the parent"
import json, sys
entries = json.load(open(sys.argv[1]))
lib = [e for e in entries if e["file"].startswith(sys.argv[2] + "/src/")]
parent = [e for e in entries if e["file"].endswith("/tests/consumer/main.cpp")]
assert lib and all("-Werror" in e["command"] for e in lib), "the library is not built with -Werror"
assert parent and not any("-Werror" in e["command"] for e in parent), parent
EOF
echo "ok: add_subdirectory: -Werror stays in the library"
quiet cmake --build "$work/b-subdir" --target docs
[ -f "$work/b-subdir/parent-docs-built" ] || fail "the parent's docs target did not run"
echo "ok: add_subdirectory: the parent's docs target is its own"
quiet cmake --install "$work/b-subdir" --prefix "$work/installed"
if [ -n "$(find "$work/installed" -type f 2>/dev/null)" ]; then
  find "$work/installed" -type f
  fail "add_subdirectory: wechatpay's install rules are on"
fi
echo "ok: add_subdirectory: nothing installed"

# 2. FetchContent with SOURCE_DIR (configured; the build is the same as above).
write_parent "$work/p-fetch" "include(FetchContent)
FetchContent_Declare(wechatpay SOURCE_DIR \"$src\")
FetchContent_MakeAvailable(wechatpay)"
quiet cmake -S "$work/p-fetch" -B "$work/b-fetch" "${no_httplib[@]}"
check_parent "FetchContent" "$work/b-fetch"

# 3. FetchContent with a URL, as the README shows it for a release tarball: here a tarball of the
# tracked files (as committed or edited in the work tree) behind a file:// URL, checked by its
# SHA-256. Configured, built and run.
command -v git >/dev/null && git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
  fail "FetchContent URL: the source tree is not a git checkout (the tarball lists tracked files)"
(cd "$src" && git ls-files -z | tar --null -T - --transform 's|^|wechatpay-cpp/|' -czf "$work/wechatpay-cpp.tar.gz")
sha=$(sha256sum "$work/wechatpay-cpp.tar.gz" | cut -d' ' -f1)
write_parent "$work/p-url" "include(FetchContent)
FetchContent_Declare(wechatpay URL \"file://$work/wechatpay-cpp.tar.gz\" URL_HASH SHA256=$sha)
FetchContent_MakeAvailable(wechatpay)"
# list_targets walks the fetched copy, not the source tree.
sed -i "s|list_targets(\"$src\")|list_targets(\"\${wechatpay_SOURCE_DIR}\")|" "$work/p-url/CMakeLists.txt"
quiet cmake -S "$work/p-url" -B "$work/b-url" "${no_httplib[@]}"
check_parent "FetchContent URL" "$work/b-url"
quiet cmake --build "$work/b-url" -j "$jobs"
out=$("$work/b-url/consumer" "$data")
grep -q "^wechatpay [0-9.]* ok$" <<<"$out" || fail "FetchContent URL: unexpected output: $out"
echo "ok: FetchContent URL: fetched, checked, built, consumer signs and verifies"
