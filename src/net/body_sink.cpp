#include "net/body_sink.hpp"

namespace thoth::net {

bool BodySink::open(const HttpRequest& request, const std::filesystem::path& destination,
                    const std::filesystem::path& temp_dir) {
  to_file_ = !request.save_to.empty();
  hashing_ = !request.sha256.empty();
  return !to_file_ || file_.open(destination.empty() ? request.save_to : destination, temp_dir);
}

bool BodySink::write(const char* data, std::size_t size) {
  if (hashing_) hash_.update(data, size);
  size_ += size;
  if (!to_file_) {
    body_.append(data, size);
    return true;
  }
  return file_.write(data, size);
}

std::optional<std::string> BodySink::digest() {
  if (!hashing_) return std::nullopt;
  return hash_.hex();
}

void BodySink::take_body(HttpResponse& response) {
  response.body_size = size_;
  if (!to_file_) response.body = std::move(body_);
}

bool BodySink::finish(HttpResponse& response) {
  take_body(response);
  return !to_file_ || file_.commit();
}

}  // namespace thoth::net
