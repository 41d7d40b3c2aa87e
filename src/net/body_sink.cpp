#include "net/body_sink.hpp"

namespace thoth::net {

bool BodySink::open(const HttpRequest& request) {
  to_file_ = !request.save_to.empty();
  hashing_ = !request.sha256.empty();
  if (to_file_ && !file_.open(request.save_to)) {
    error_ = file_.error();
    return false;
  }
  return true;
}

bool BodySink::write(const char* data, std::size_t size) {
  if (hashing_) hash_.update(data, size);
  size_ += size;
  if (!to_file_) {
    body_.append(data, size);
    return true;
  }
  if (!file_.write(data, size)) {
    error_ = file_.error();
    return false;
  }
  return true;
}

std::optional<std::string> BodySink::digest() {
  if (!hashing_) return std::nullopt;
  return hash_.hex();
}

bool BodySink::finish(HttpResponse& response) {
  response.body_size = size_;
  if (!to_file_) {
    response.body = std::move(body_);
    return true;
  }
  if (!file_.commit()) {
    error_ = file_.error();
    return false;
  }
  return true;
}

}  // namespace thoth::net
