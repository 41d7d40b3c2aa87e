#include "cli/requirements_source.hpp"

#include <cctype>

#include "thoth/inputs.hpp"

namespace thoth::cli {

namespace {

bool is_url(const std::string& s) {
  std::string head = s.substr(0, 8);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0 || head.rfind("file://", 0) == 0;
}

}  // namespace

RequirementsSource::RequirementsSource(std::function<HttpOptions()> http_options)
    : http_options_(std::move(http_options)) {}

RequirementsSource::~RequirementsSource() = default;

std::string RequirementsSource::read(const std::string& path_or_url) {
  if (!is_url(path_or_url)) return read_local_file(path_or_url);
  if (!client_) client_ = std::make_unique<HttpClient>(http_options_());
  HttpRequest request(path_or_url);
  // A requirements file changes under the same URL: always asked again, the cache only for --offline.
  request.cache = CachePolicy::revalidate;
  try {
    return client_->get(std::move(request)).body;
  } catch (const NetError& e) {
    if (!e.not_found()) throw;
    throw InputError("cannot open requirements file " + redact_url(path_or_url) + ": not found (HTTP " +
                     std::to_string(e.status()) + ")");
  }
}

}  // namespace thoth::cli
