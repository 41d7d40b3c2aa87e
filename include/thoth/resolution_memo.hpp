// The resolution memo: `thoth lock` run again with the same inputs, against index pages whose bodies
// have not changed, writes the lock the earlier run wrote without reading listings and metadata and
// resolving again. A lock is a function of its inputs (command line, environment, working directory,
// the files read, the program itself, the target) and of the index pages read: the memo is keyed by
// the first and keeps the second as each page's request and body sha256, asked again (in parallel,
// bodies left on disk; fresh pages from the cache, stale ones revalidated) before the record is used.
// Like uv's check that a lock file is still up to date, but exact: nothing is assumed of what the
// pages say.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/hash.hpp"
#include "thoth/net.hpp"

namespace thoth {

// A memo key: sha256 over labelled, length-prefixed parts, so that no two different lists of parts
// hash the same bytes.
class MemoKey {
 public:
  MemoKey& add(std::string_view label, std::string_view bytes);
  std::string hex();  // finishes the key

 private:
  Sha256 hash_;
};

// What one lock was made of and what it wrote.
struct MemoRecord {
  std::string key;                  // the MemoKey of the run's inputs
  std::string target;               // Target::to_json() of the run
  std::string pins_sha256;          // sha256 of the -o file it kept pins from; "" when there was none
  std::vector<PageRead> pages;      // every page request it made, with the body that answered
  std::string output;               // the lock it wrote
  std::string output_sha256;        // its sha256 (encode_memo and decode_memo fill it in)

  // Can a run whose -o file hashes to `previous_sha256` ("" for none) use this record? When that file
  // is the one this run read its pins from, or the lock this run wrote: the pins of a lock are a
  // solution, so keeping them resolves to that same lock.
  bool pins_match(std::string_view previous_sha256) const;
};

// The record's bytes: a small text format (see resolution_memo.cpp). decode_memo reads cache bytes,
// which are untrusted: anything damaged, truncated or of another layout is nullopt, never an error.
std::string encode_memo(const MemoRecord& record);
std::optional<MemoRecord> decode_memo(std::string_view bytes);

// Records under the cache directory (derived-v1/resolutions), best effort as every cache write. A
// record lives in a slot (a hex name: thoth lock's is its -o file, see cli/lock_memo.cpp), and a run
// replaces the record of its slot: the memo holds one record per lock file, however often the inputs
// change.
class ResolutionMemo {
 public:
  explicit ResolutionMemo(std::filesystem::path cache_dir);

  std::optional<MemoRecord> load(std::string_view slot) const;
  void store(std::string_view slot, const MemoRecord& record) const;

  // Asks every page again through `client`, in parallel, and compares status and body hash. False on
  // any difference or failure: the caller then resolves as if there were no record.
  static bool pages_unchanged(const std::vector<PageRead>& pages, HttpClient& client);

 private:
  std::filesystem::path dir_;
};

}  // namespace thoth
