// Python front-end + linker + analyses + rules on arbitrary bytes (one file, the whole pipeline).
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  archscan::fuzz::scan_bytes(data, size, "model.py");
  return 0;
}
