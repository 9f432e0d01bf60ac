// The LSP base protocol: JSON-RPC messages framed by a `Content-Length` header over a byte stream
// (stdio). The reader survives any input: a header it cannot read is skipped up to the next
// `Content-Length`, and what it skipped is said in the result, never thrown.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace archscan::lsp {

struct Incoming {
  enum Kind { Message, Eof, Garbage } kind = Eof;
  std::string body;   // Message: the content, exactly Content-Length bytes
  std::string error;  // Garbage: what was wrong (a header without a usable Content-Length, an oversized body)
};

class Reader {
 public:
  // Messages larger than `max_body` bytes are skipped (their bytes are read and dropped).
  explicit Reader(int fd, size_t max_body = size_t(256) << 20) : fd_(fd), max_body_(max_body) {}
  Incoming next();
  // Whether bytes already read wait to be parsed (the next call may not block).
  bool buffered() const { return pos_ < buf_.size(); }

 private:
  bool fill();                    // reads more bytes; false at end of input
  bool line(std::string& out);    // one header line without its CR LF; false at end of input
  int fd_;
  size_t max_body_;
  std::string buf_;
  size_t pos_ = 0;
};

class Writer {
 public:
  explicit Writer(int fd) : fd_(fd) {}
  // Thread-safe; a closed pipe makes later sends no-ops.
  void send(const nlohmann::json& message);

 private:
  int fd_;
  std::mutex mu_;
  bool closed_ = false;
};

}  // namespace archscan::lsp
