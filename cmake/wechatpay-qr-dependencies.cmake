# What a static wechatpay::qr needs at link time: libqrencode (through pkg-config, as the build
# found it) and libpng.
include(CMakeFindDependencyMacro)
find_dependency(PNG)
find_dependency(PkgConfig)
if(NOT TARGET PkgConfig::WECHATPAY_QRENCODE)
  pkg_check_modules(WECHATPAY_QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
endif()
