// Fetching the chosen files of a lock into a directory (Session::download): in parallel, each checked
// against its hash while it streams, resumable (files already there and verified stay).
#include <system_error>

#include "session/lock_files.hpp"
#include "thoth/hash.hpp"

namespace thoth::session_detail {

namespace {

// A file name that stays inside the download directory: the last component of what the index says.
std::string safe_name(const ChosenFile& c) {
  std::string name = c.file.filename;
  if (auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
  if (name.empty() || name == "." || name == "..")
    throw SessionError(c.name + ": cannot download " + redact_url(c.file.url) + " (it names no file)");
  return name;
}

}  // namespace

std::vector<DownloadedFile> download_files(HttpClient& client, const std::vector<ChosenFile>& files,
                                           const std::filesystem::path& directory,
                                           const std::function<void(const DownloadedFile&)>& on_ready,
                                           DownloadProgress* progress) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (!std::filesystem::is_directory(directory, ec))
    throw SessionError("cannot create the download directory " + directory.string() + (ec ? ": " + ec.message() : ""));

  std::vector<DownloadedFile> out;
  std::vector<std::shared_future<HttpResponse>> pending(files.size());  // one per file fetched
  for (const ChosenFile& c : files) {
    DownloadedFile d{c, directory / safe_name(c), {}, false};
    const std::string expected = c.file.sha256();
    // Resume: a file already there with the locked hash is the file.
    if (!expected.empty() && std::filesystem::is_regular_file(d.path, ec)) {
      try {
        if (sha256_file_hex(d.path) == expected) {
          d.sha256 = expected;
          d.reused = true;
          out.push_back(std::move(d));
          continue;
        }
      } catch (const NetError&) {
        // Unreadable: fetched again over it.
      }
    }
    HttpRequest request(c.file.url);
    request.save_to = d.path;
    request.allow_compression = false;  // the file's bytes, as hashed
    if (!expected.empty()) {
      request.sha256 = expected;
      request.cache = CachePolicy::immutable;  // kept in the content-addressed store too
    } else {
      request.cache = CachePolicy::no_store;
    }
    if (progress != nullptr) {
      request.progress = [progress, name = d.path.filename().string()](std::uint64_t got, std::uint64_t total) {
        progress->received(name, got, total);
      };
    }
    pending[out.size()] = client.submit(std::move(request));
    out.push_back(std::move(d));
  }
  // In order: each file is handed on as soon as it and those before it are complete, while the later
  // ones still arrive. The first failure is thrown (the client stops the rest when it goes).
  for (std::size_t i = 0; i < out.size(); ++i) {
    DownloadedFile& d = out[i];
    if (pending[i].valid()) {
      // The display forgets the file whether it arrived or failed.
      struct Finished {
        DownloadProgress* progress;
        std::string name;
        ~Finished() {
          if (progress != nullptr) progress->finished(name);
        }
      } finished{progress, d.path.filename().string()};
      pending[i].get();
      d.sha256 = d.chosen.file.sha256().empty() ? sha256_file_hex(d.path) : d.chosen.file.sha256();
    }
    if (on_ready) on_ready(d);
  }
  return out;
}

}  // namespace thoth::session_detail
