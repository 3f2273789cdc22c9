# `cmake --build <build> --target wechatpay_docs`: the HTML API reference of the public headers,
# built by Doxygen, failing on any warning (an undocumented public symbol is a warning).
find_package(Doxygen QUIET)
if(NOT DOXYGEN_FOUND)
  add_custom_target(wechatpay_docs COMMAND ${CMAKE_COMMAND} -E echo "wechatpay_docs: install doxygen (Debian: doxygen)"
                    COMMAND ${CMAKE_COMMAND} -E false)
  return()
endif()
set(WECHATPAY_DOCS_OUTPUT ${PROJECT_BINARY_DIR}/docs)
# Every folder holding public headers (optional parts add theirs to this global property).
set(WECHATPAY_DOCS_INCLUDE_ROOTS ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
get_property(extra_roots GLOBAL PROPERTY WECHATPAY_PUBLIC_INCLUDE_DIRS)
list(APPEND WECHATPAY_DOCS_INCLUDE_ROOTS ${extra_roots})
# The guides of docs/ become pages of the reference (mainpage.md links them), reference.dox
# documents the namespaces and the examples.
file(GLOB WECHATPAY_DOCS_GUIDES ${PROJECT_SOURCE_DIR}/docs/*.md)
set(WECHATPAY_DOCS_INPUT ${WECHATPAY_DOCS_GUIDES} ${PROJECT_SOURCE_DIR}/docs/reference.dox
                         ${PROJECT_SOURCE_DIR}/include/wechatpay
                         ${PROJECT_BINARY_DIR}/include/wechatpay/version.hpp)
foreach(root IN LISTS extra_roots)
  list(APPEND WECHATPAY_DOCS_INPUT ${root}/wechatpay)
endforeach()
string(REPLACE ";" " " WECHATPAY_DOCS_INPUT "${WECHATPAY_DOCS_INPUT}")
string(REPLACE ";" " " WECHATPAY_DOCS_INCLUDE_ROOTS "${WECHATPAY_DOCS_INCLUDE_ROOTS}")
configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${PROJECT_BINARY_DIR}/Doxyfile @ONLY)
add_custom_target(wechatpay_docs COMMAND Doxygen::doxygen ${PROJECT_BINARY_DIR}/Doxyfile
                  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
                  COMMENT "API reference -> ${WECHATPAY_DOCS_OUTPUT}/html/index.html" VERBATIM)
