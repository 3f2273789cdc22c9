# RapidJSON is header-only and private to the library. Debian's rapidjson-dev installs a
# RapidJSONConfig.cmake that sets RAPIDJSON_INCLUDE_DIRS but no target; vcpkg and Conan provide
# a `rapidjson` target. This shim gives one internal target, wechatpay_rapidjson, either way.
if(TARGET wechatpay_rapidjson)
  return()
endif()
find_package(RapidJSON CONFIG QUIET)
add_library(wechatpay_rapidjson INTERFACE)
if(TARGET rapidjson)
  target_link_libraries(wechatpay_rapidjson INTERFACE rapidjson)
elseif(RapidJSON_FOUND OR RAPIDJSON_INCLUDE_DIRS)
  target_include_directories(wechatpay_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
else()
  find_path(WECHATPAY_RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
  target_include_directories(wechatpay_rapidjson SYSTEM INTERFACE ${WECHATPAY_RAPIDJSON_INCLUDE_DIR})
endif()
target_compile_definitions(wechatpay_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
