#!/usr/bin/env python3
"""Structural checks of the vcpkg port and the Conan recipe.

vcpkg and Conan need the internet, which CI does not have, so the files are checked for what the
tools would rely on: valid manifests with the right dependencies and the version of
CMakeLists.txt, a portfile with the standard steps, and a recipe that parses and declares the
required methods and options.
"""
import ast
import json
import re
import sys
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    match = re.search(r"project\(wechatpay VERSION (\d+\.\d+\.\d+)", text)
    check(match is not None, "CMakeLists.txt: project(wechatpay VERSION x.y.z) not found")
    return match.group(1) if match else None


def dependency_names(manifest):
    names = set()
    for dep in manifest.get("dependencies", []):
        names.add(dep if isinstance(dep, str) else dep["name"])
    return names


def check_vcpkg(version):
    for path in (ROOT / "vcpkg.json", ROOT / "ports/wechatpay/vcpkg.json"):
        try:
            manifest = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            failures.append(f"{path}: not valid JSON ({error})")
            continue
        check(manifest.get("name") == "wechatpay", f"{path}: name must be wechatpay")
        check(manifest.get("version-semver") == version,
              f"{path}: version-semver {manifest.get('version-semver')} != {version}")
        check(manifest.get("license") == "Apache-2.0", f"{path}: license must be Apache-2.0")
        names = dependency_names(manifest)
        for needed in ("curl", "openssl", "rapidjson"):
            check(needed in names, f"{path}: missing dependency {needed}")
        curl = [d for d in manifest["dependencies"] if isinstance(d, dict) and d["name"] == "curl"]
        check(curl and "ssl" in curl[0].get("features", []), f"{path}: curl needs the ssl feature")
        features = manifest.get("features", {})
        check("qr" in features and "libqrencode" in dependency_names(features["qr"]),
              f"{path}: feature qr must depend on libqrencode")
        check("sandbox" in features, f"{path}: feature sandbox missing")
        check("ledger" in features and "sqlite3" in dependency_names(features["ledger"]),
              f"{path}: feature ledger must depend on sqlite3")
        check("postgres" in features and "libpq" in dependency_names(features["postgres"]),
              f"{path}: feature postgres must depend on libpq")
    port = json.loads((ROOT / "ports/wechatpay/vcpkg.json").read_text())
    hosts = {d["name"] for d in port["dependencies"] if isinstance(d, dict) and d.get("host")}
    check({"vcpkg-cmake", "vcpkg-cmake-config"} <= hosts,
          "port: vcpkg-cmake and vcpkg-cmake-config must be host dependencies")
    portfile = (ROOT / "ports/wechatpay/portfile.cmake").read_text()
    for feature in ("qr WECHATPAY_WITH_QR", "ledger WECHATPAY_WITH_LEDGER",
                    "postgres WECHATPAY_LEDGER_WITH_POSTGRES"):
        check(feature in (ROOT / "ports/wechatpay/portfile.cmake").read_text(),
              f"portfile.cmake: feature option {feature} missing")
    for step in ("vcpkg_from_github", "vcpkg_cmake_configure", "vcpkg_cmake_install",
                 "vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/wechatpay)",
                 "vcpkg_fixup_pkgconfig()", "vcpkg_install_copyright",
                 "-DWECHATPAY_BUILD_TESTS=OFF"):
        check(step in portfile, f"portfile.cmake: missing {step}")
    usage = (ROOT / "ports/wechatpay/usage").read_text()
    check("find_package(wechatpay CONFIG REQUIRED)" in usage and "wechatpay::wechatpay" in usage,
          "usage: must show find_package and wechatpay::wechatpay")


def class_methods(tree, base):
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
                getattr(b, "id", None) == base for b in node.bases):
            return node, {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
    return None, set()


def class_assignment(node, name):
    for item in node.body:
        if isinstance(item, ast.Assign) and any(getattr(t, "id", None) == name
                                                for t in item.targets):
            return ast.literal_eval(item.value)
    return None


def check_conan():
    source = (ROOT / "conanfile.py").read_text()
    tree = ast.parse(source, "conanfile.py")
    node, methods = class_methods(tree, "ConanFile")
    check(node is not None, "conanfile.py: no ConanFile subclass")
    if node is None:
        return
    for method in ("set_version", "config_options", "configure", "layout", "requirements",
                   "validate", "generate", "build", "package", "package_info"):
        check(method in methods, f"conanfile.py: method {method} missing")
    check(class_assignment(node, "name") == "wechatpay", "conanfile.py: name must be wechatpay")
    check(class_assignment(node, "package_type") == "library", "conanfile.py: package_type")
    options = class_assignment(node, "options") or {}
    defaults = class_assignment(node, "default_options") or {}
    for option in ("shared", "fPIC", "with_qr", "with_ledger", "with_postgres", "with_sandbox"):
        check(option in options and option in defaults, f"conanfile.py: option {option} missing")
    check(defaults.get("shared") is False, "conanfile.py: static by default")
    for needed in ("libcurl/", "openssl/", "rapidjson/", "libqrencode/", "cpp-httplib/",
                   "sqlite3/", "libpq/"):
        check(f'"{needed}' in source, f"conanfile.py: requirement {needed} missing")
    for prop in ('"cmake_file_name", "wechatpay"', '"cmake_target_name", "wechatpay::wechatpay"',
                 '"pkg_config_name", "wechatpay"', "check_min_cppstd(self, \"17\")",
                 'variables["WECHATPAY_BUILD_TESTS"] = False',
                 '"cmake_target_name", "wechatpay::ledger"', '"ledger/*"',
                 'variables["WECHATPAY_WITH_LEDGER"]'):
        check(prop in source, f"conanfile.py: {prop} missing")
    check("catch2" not in source.lower(), "conanfile.py: Catch2 must not be a requirement")

    test_source = (ROOT / "test_package/conanfile.py").read_text()
    test_tree = ast.parse(test_source, "test_package/conanfile.py")
    test_node, test_methods = class_methods(test_tree, "ConanFile")
    check(test_node is not None, "test_package/conanfile.py: no ConanFile subclass")
    for method in ("requirements", "layout", "build", "test"):
        check(method in test_methods, f"test_package/conanfile.py: method {method} missing")
    check("tested_reference_str" in test_source, "test_package must require the tested reference")
    check("can_run(self)" in test_source, "test_package must guard the run with can_run")
    cmake = (ROOT / "test_package/CMakeLists.txt").read_text()
    check("find_package(wechatpay CONFIG REQUIRED)" in cmake, "test_package: find_package")


version = project_version()
check_vcpkg(version)
check_conan()
if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"package files ok (version {version})")
