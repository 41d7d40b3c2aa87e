// A candidate's files, possibly still encoded: see FileList in thoth/index.hpp.
#include <algorithm>

#include "thoth/index.hpp"

namespace thoth {

FileTraits FileTraits::of(const DistFile& f) {
  FileTraits t;
  t.kind = f.kind;
  if (f.wheel) {
    t.tags = &f.wheel->tags;
    if (f.wheel->build) {
      t.has_build = true;
      t.build_number = f.wheel->build->first;
      t.build_suffix = f.wheel->build->second;
    }
  }
  t.requires_python = f.requires_python;
  if (f.yanked) {
    t.yanked = true;
    t.yank_reason = *f.yanked;
  }
  return t;
}

bool all_yanked(const std::vector<FileTraits>& files) {
  return !files.empty() && std::all_of(files.begin(), files.end(), [](const FileTraits& f) { return f.yanked; });
}

const std::vector<DistFile>& EncodedFiles::files() const {
  // Candidates are shared with the threads that prefetch metadata: decode exactly once.
  if (!decoded_.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(decoding_);
    if (!decoded_.load(std::memory_order_relaxed)) {
      files_ = decode();
      decoded_.store(true, std::memory_order_release);
    }
  }
  return files_;
}

std::vector<DistFile>& FileList::edit() {
  if (encoded_) {
    own_ = encoded_->files();  // other copies of the list may still read the shared decoding
    encoded_.reset();
  }
  return own_;
}

void FileList::traits(std::vector<FileTraits>& out) const {
  out.clear();
  if (encoded_) {
    encoded_->traits(out);
    return;
  }
  out.reserve(own_.size());
  for (const DistFile& f : own_) out.push_back(FileTraits::of(f));
}

}  // namespace thoth
