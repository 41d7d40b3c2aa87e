// Where requirements files come from for `thoth lock`: local paths, and the http(s):// and file://
// URLs pip also accepts after -r / -c (pip's get_file_content reads them with its session).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "thoth/net.hpp"

namespace thoth::cli {

class RequirementsSource {
 public:
  // `http_options` is called once, when the first URL is read: a command with only local files
  // never sets up the network.
  explicit RequirementsSource(std::function<HttpOptions()> http_options);
  ~RequirementsSource();
  RequirementsSource(const RequirementsSource&) = delete;
  RequirementsSource& operator=(const RequirementsSource&) = delete;

  // The text of the file. Throws InputError for a missing file or URL (404/410) and a directory;
  // NetError when the network fails.
  std::string read(const std::string& path_or_url);

 private:
  std::function<HttpOptions()> http_options_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace thoth::cli
