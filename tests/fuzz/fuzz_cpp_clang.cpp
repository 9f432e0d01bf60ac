// The C++ front-end's semantic path (Clang LibTooling) on small translation units without torch
// headers, then the linker, analyses and rules. Large inputs are cut: Clang's own time dominates.
#include "fuzz_util.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::unsetenv("ARCHSCAN_CPP_MODE");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  archscan::fuzz::scan_bytes(data, size, "model.cpp");
  return 0;
}
