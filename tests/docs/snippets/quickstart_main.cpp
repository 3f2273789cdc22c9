// Context of the README's quick-start block: main() of examples/quickstart/main.cpp, with the
// two helpers it calls declared.
#include <iostream>
#include <string>

#include <wechatpay/wechatpay.hpp>

void Explain(char const* what, wechatpay::Status const& status);
std::string NewOutTradeNo();

int main(int argc, char** argv) {
  // SNIPPET
}
