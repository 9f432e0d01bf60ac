// The C++ front-end's syntactic path (tree-sitter-cpp) + linker + analyses + rules.
#include "fuzz_util.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("ARCHSCAN_CPP_MODE", "syntactic", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  archscan::fuzz::scan_bytes(data, size, "model.cpp");
  return 0;
}
