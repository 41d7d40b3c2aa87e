#include "cli/lock_memo.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "base/url_text.hpp"
#include "cli/version.hpp"
#include "thoth/hash.hpp"

namespace thoth::cli {
namespace {

bool from_index(const UserRequirement& r) { return r.link.empty() && r.requirement.url.empty(); }

// The program itself: a rebuilt thoth may resolve differently under the same version number.
std::string program_identity() {
  struct stat st {};
  if (::stat("/proc/self/exe", &st) != 0) return {};
  return std::string(kVersion) + " " + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + " " +
         std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

// The command line without -v and -q, which change what is said on stderr, never the lock: a run
// repeated with -v to see what happens finds the record of the run without.
std::string command_line_key(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (w == "-v" || w == "--verbose" || w == "-q" || w == "--quiet") continue;
    out.append(w).push_back('\0');
  }
  return out;
}

}  // namespace

LockMemo::LockMemo(const Context& ctx, Session& session, const RequirementSet& inputs, const std::string& output,
                   const std::optional<std::string>& previous, bool off)
    : memo_(session.setup().cache_dir) {
  if (off || ctx.command_line.empty() || session.setup().cache_dir.empty()) return;
  if (!std::all_of(inputs.requirements.begin(), inputs.requirements.end(), from_index) ||
      !std::all_of(inputs.constraints.begin(), inputs.constraints.end(), from_index) ||
      !std::all_of(session.source_urls().begin(), session.source_urls().end(),
                   [](const std::string& url) { return base::is_http_url(url); })) {
    return;  // a local file, directory or page can change without any page saying so
  }
  const std::string program = program_identity();
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  if (program.empty() || ec) return;

  MemoKey key;
  key.add("program", program).add("cwd", cwd.string()).add("argv", command_line_key(ctx.command_line));
  std::string env;
  for (const auto& [name, value] : ctx.env) env.append(name).append("=").append(value).push_back('\0');
  key.add("env", env);
  // pip's configuration files, as the session read them (one that appears later changes the key).
  for (const ConfigText& config : read_config_files(pip_config_paths(ctx.env))) key.add("config", config.path).add("text", config.text);
  for (const auto& [name, text] : session.input_files()) key.add("input", name).add("text", text);
  key_ = key.hex();
  // One record per lock file: the slot is the -o file's absolute path (or, for a lock written to a
  // stream, the command), so a changed input replaces the record instead of adding one.
  const bool to_file = output_kind(output) == OutputKind::replace;
  slot_ = MemoKey()
              .add("cwd", cwd.string())
              .add(to_file ? "output" : "argv",
                   to_file ? std::filesystem::absolute(output, ec).string() : command_line_key(ctx.command_line))
              .hex();
  if (previous) previous_sha256_ = sha256_hex(*previous);
}

std::optional<std::string> LockMemo::find(Session& session) const {
  if (!enabled()) return std::nullopt;
  std::optional<MemoRecord> record = memo_.load(slot_);
  if (!record || record->key != key_ || record->target != session.target().to_json() ||
      !record->pins_match(previous_sha256_) ||
      !ResolutionMemo::pages_unchanged(record->pages, session.client())) {
    return std::nullopt;
  }
  return std::move(record->output);
}

void LockMemo::keep(Session& session, const std::string& text, std::size_t warnings) const {
  if (!enabled() || warnings != 0) return;
  std::optional<std::vector<PageRead>> pages = session.client().pages_read();
  if (!pages) return;
  MemoRecord record;
  record.key = key_;
  record.target = session.target().to_json();
  record.pins_sha256 = previous_sha256_;
  record.output = text;
  std::set<std::string> seen;  // a page asked twice (a prefetch, then the resolution) is kept once
  for (PageRead& p : *pages) {
    // Credentials stay out of the cache (and a URL with them could not be asked again without them).
    if (!base::is_http_url(p.url) || base::split_url(p.url).has_userinfo) return;
    std::string id = std::to_string(p.status) + " " + p.body_sha256 + " " + p.url;
    for (const auto& [name, value] : p.headers) id.append("\n").append(name).append(": ").append(value);
    if (seen.insert(std::move(id)).second) record.pages.push_back(std::move(p));
  }
  memo_.store(slot_, record);
}

}  // namespace thoth::cli
