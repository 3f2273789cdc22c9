# Conan 2 recipe for wechatpay-cpp: `conan create . --build=missing` builds the library and runs
# test_package (offline: it signs a fixed message with an embedded test key).
import os

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir


class WechatpayConan(ConanFile):
    name = "wechatpay"
    description = "WeChat Pay API v3 Native payments SDK for C++17"
    license = "Apache-2.0"
    url = "https://github.com/wechatpay-cpp/wechatpay-cpp"
    homepage = "https://github.com/wechatpay-cpp/wechatpay-cpp"
    topics = ("wechat-pay", "payments", "wechatpay-apiv3", "qr-code")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "with_qr": [True, False],
        "with_ledger": [True, False],
        "with_postgres": [True, False],
        "with_sandbox": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "with_qr": True,
        "with_ledger": True,
        "with_postgres": False,
        "with_sandbox": False,
    }
    exports_sources = ("CMakeLists.txt", "LICENSE", "cmake/*", "include/*", "src/*", "qr/*",
                       "ledger/*", "sandbox/*", "tools/*")

    def set_version(self):
        # The version lives in CMakeLists.txt's project() call and nowhere else.
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        marker = "project(wechatpay VERSION "
        start = text.index(marker) + len(marker)
        self.version = self.version or text[start:].split()[0]

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")
        if not self.options.with_ledger:
            self.options.rm_safe("with_postgres")  # the PostgreSQL store is part of the ledger

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        self.requires("libcurl/[>=7.78.0 <9]")
        self.requires("openssl/[>=3 <4]")
        self.requires("rapidjson/cci.20230929")
        self.requires("zlib/[>=1.2.11 <2]")
        if self.options.with_qr:
            self.requires("libqrencode/4.1.1")
            self.requires("libpng/[>=1.6 <2]")
        if self.options.with_ledger:
            self.requires("sqlite3/[>=3.35 <4]")
            if self.options.get_safe("with_postgres"):
                self.requires("libpq/[>=14 <18]")
        if self.options.with_sandbox:
            self.requires("cpp-httplib/[>=0.11 <1]")

    def validate(self):
        check_min_cppstd(self, "17")

    def generate(self):
        toolchain = CMakeToolchain(self)
        toolchain.variables["WECHATPAY_BUILD_TESTS"] = False
        toolchain.variables["WECHATPAY_BUILD_EXAMPLES"] = False
        toolchain.variables["WECHATPAY_BUILD_TOOLS"] = False
        toolchain.variables["WECHATPAY_WITH_QR"] = bool(self.options.with_qr)
        toolchain.variables["WECHATPAY_BUILD_SANDBOX"] = bool(self.options.with_sandbox)
        toolchain.variables["WECHATPAY_WITH_LEDGER"] = bool(self.options.with_ledger)
        toolchain.variables["WECHATPAY_LEDGER_WITH_POSTGRES"] = bool(
            self.options.get_safe("with_postgres"))
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        cmake = CMake(self)
        cmake.install()
        # Conan generates its own config files and .pc files for consumers.
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "wechatpay")
        self.cpp_info.set_property("pkg_config_name", "wechatpay")

        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "wechatpay::wechatpay")
        core.set_property("pkg_config_name", "wechatpay")
        core.libs = ["wechatpay"]
        core.requires = ["libcurl::libcurl", "openssl::ssl", "openssl::crypto", "zlib::zlib"]
        if self.settings.os in ("Linux", "FreeBSD"):
            core.system_libs = ["pthread"]

        if self.options.with_qr:
            qr = self.cpp_info.components["qr"]
            qr.set_property("cmake_target_name", "wechatpay::qr")
            qr.libs = ["wechatpay_qr"]
            qr.requires = ["core", "libqrencode::libqrencode", "libpng::libpng"]

        if self.options.with_ledger:
            ledger = self.cpp_info.components["ledger"]
            ledger.set_property("cmake_target_name", "wechatpay::ledger")
            ledger.set_property("pkg_config_name", "wechatpay-ledger")
            ledger.libs = ["wechatpay_ledger"]
            ledger.requires = ["core", "sqlite3::sqlite3"]
            ledger.defines = ["WECHATPAY_HAS_LEDGER=1"]
            if self.options.get_safe("with_postgres"):
                ledger.requires.append("libpq::libpq")
                ledger.defines.append("WECHATPAY_HAS_POSTGRES=1")

        if self.options.with_sandbox:
            sandbox = self.cpp_info.components["sandbox"]
            sandbox.set_property("cmake_target_name", "wechatpay::sandbox")
            sandbox.libs = ["wechatpay_sandbox"]
            sandbox.requires = ["core", "cpp-httplib::cpp-httplib", "openssl::ssl",
                                "openssl::crypto", "libcurl::libcurl"]
