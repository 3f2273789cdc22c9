# cpp-httplib for the sandbox and the tests, as one internal target: wechatpay_httplib.
#
# vcpkg and Conan ship it header-only with a CMake package (httplib::httplib). Debian 12 ships it
# split: httplib.h holds only declarations, the code is in libcpp-httplib.so, built with OpenSSL,
# zlib and Brotli support. Its pkg-config file carries the matching CPPHTTPLIB_*_SUPPORT
# definitions, which every user must repeat: without them the classes' layouts differ from the
# compiled library's. Linking wechatpay_httplib brings those definitions along.
#
# Sets WECHATPAY_HTTPLIB_FOUND. Idempotent; include it from the top level so that the imported
# targets are visible everywhere.
if(TARGET wechatpay_httplib)
  set(WECHATPAY_HTTPLIB_FOUND TRUE)
  return()
endif()
set(WECHATPAY_HTTPLIB_FOUND FALSE)
find_package(httplib CONFIG QUIET)
if(TARGET httplib::httplib)
  add_library(wechatpay_httplib INTERFACE)
  target_link_libraries(wechatpay_httplib INTERFACE httplib::httplib)
  set(WECHATPAY_HTTPLIB_FOUND TRUE)
else()
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(WECHATPAY_HTTPLIB QUIET IMPORTED_TARGET GLOBAL cpp-httplib)
  endif()
  if(TARGET PkgConfig::WECHATPAY_HTTPLIB)
    add_library(wechatpay_httplib INTERFACE)
    target_link_libraries(wechatpay_httplib INTERFACE PkgConfig::WECHATPAY_HTTPLIB)
    set(WECHATPAY_HTTPLIB_FOUND TRUE)
  endif()
endif()
