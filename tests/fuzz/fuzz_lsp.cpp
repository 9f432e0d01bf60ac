// The language server on arbitrary bytes: message framing, JSON, dispatch, text synchronisation and
// the analysis of the documents the messages open (the workspace on disk is not read).
#include <fcntl.h>
#include <unistd.h>

#include <thread>

#include "lsp/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int in[2];
  if (pipe(in) != 0) return 0;
  const int out = open("/dev/null", O_WRONLY);
  std::thread writer([&] {
    for (size_t done = 0; done < size;) {
      ssize_t n = write(in[1], data + done, size - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(in[1]);
  });
  archscan::lsp::ServerConfig config;
  config.read_workspace = false;
  config.join_reader = true;
  config.options_for = [](const std::string&) {
    archscan::ScanOptions o;
    o.no_db = true;
    o.jobs = 1;
    o.file_timeout = 10;
    return o;
  };
  archscan::lsp::serve(config, in[0], out);
  writer.join();
  close(in[0]);
  close(out);
  return 0;
}
