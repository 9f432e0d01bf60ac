#include "lsp/transport.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>

namespace archscan::lsp {

bool Reader::fill() {
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buf_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

bool Reader::line(std::string& out) {
  for (;;) {
    size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      size_t end = nl > pos_ && buf_[nl - 1] == '\r' ? nl - 1 : nl;
      out.assign(buf_, pos_, end - pos_);
      pos_ = nl + 1;
      return true;
    }
    // A header line longer than any real one is garbage: keep the buffer bounded.
    if (buf_.size() - pos_ > 1 << 16) {
      out.assign(buf_, pos_, 64);
      pos_ = buf_.size();
      return true;
    }
    if (!fill()) return false;
  }
}

Incoming Reader::next() {
  Incoming in;
  long long length = -1;
  bool any_header = false;
  std::string bad;
  for (;;) {
    std::string l;
    if (!line(l)) return in;  // end of input
    if (l.empty()) {
      if (!any_header) continue;  // blank lines between messages
      break;
    }
    // The rest of a message whose Content-Length was too small runs into the next header: resume
    // at the header.
    std::string lower = l;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (size_t at = lower.find("content-length:"); at != std::string::npos && at > 0) {
      l.erase(0, at);
      bad.clear();
    }
    any_header = true;
    const size_t colon = l.find(':');
    std::string name = l.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (colon == std::string::npos) {
      bad = "a header line without ':'";
      continue;
    }
    if (name != "content-length") continue;  // Content-Type and unknown headers are allowed
    std::string value = l.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    long long v = -1;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || p != value.data() + value.size() || v < 0) {
      bad = "Content-Length '" + value.substr(0, 40) + "' is not a number of bytes";
      length = -1;
    } else {
      length = v;
    }
  }
  if (length < 0) {
    in.kind = Incoming::Garbage;
    in.error = bad.empty() ? "a message without a Content-Length header" : bad;
    return in;
  }
  const size_t n = static_cast<size_t>(length);
  if (n > max_body_) {
    size_t left = n;
    while (left > 0) {
      if (pos_ >= buf_.size() && !fill()) break;
      size_t take = std::min(left, buf_.size() - pos_);
      pos_ += take;
      left -= take;
    }
    in.kind = Incoming::Garbage;
    in.error = "a message of " + std::to_string(n) + " bytes, over the limit of " + std::to_string(max_body_);
    return in;
  }
  while (buf_.size() - pos_ < n)
    if (!fill()) return in;  // the stream ended inside the body
  in.kind = Incoming::Message;
  in.body.assign(buf_, pos_, n);
  pos_ += n;
  return in;
}

void Writer::send(const nlohmann::json& message) {
  const std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return;
  size_t done = 0;
  while (done < out.size()) {
    ssize_t w = ::write(fd_, out.data() + done, out.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      closed_ = true;
      return;
    }
    done += static_cast<size_t>(w);
  }
}

}  // namespace archscan::lsp
