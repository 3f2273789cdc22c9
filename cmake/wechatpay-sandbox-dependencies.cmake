# What a static wechatpay::sandbox needs at link time: cpp-httplib with the same compile
# definitions it was built with (FindHttplibShim.cmake re-creates the wechatpay_httplib target),
# OpenSSL, threads and zlib (the gzip bill files).
include(CMakeFindDependencyMacro)
find_dependency(OpenSSL 3.0)
find_dependency(Threads)
find_dependency(ZLIB)
include("${CMAKE_CURRENT_LIST_DIR}/FindHttplibShim.cmake")
if(NOT WECHATPAY_HTTPLIB_FOUND)
  set(wechatpay_FOUND FALSE)
  set(wechatpay_NOT_FOUND_MESSAGE "wechatpay::sandbox needs cpp-httplib with OpenSSL support")
endif()
# The name the exported wechatpay::sandbox links (a distinct name, so that the build's own
# wechatpay_httplib target is not mistaken for an exported one).
if(WECHATPAY_HTTPLIB_FOUND AND NOT TARGET wechatpay_sandbox_httplib)
  add_library(wechatpay_sandbox_httplib INTERFACE IMPORTED)
  set_target_properties(wechatpay_sandbox_httplib PROPERTIES INTERFACE_LINK_LIBRARIES wechatpay_httplib)
endif()
