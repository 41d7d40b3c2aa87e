// `thoth debug candidates NAME` shows what the configured indexes offer for one project as the target
// sees it: every version, newest first, with its files, which of them the target can use and which one
// it would pick, yanked state, Requires-Python, hashes and PEP 658 metadata; --metadata also reads each
// version's core metadata. `thoth debug metadata NAME...` reads the metadata of the version a resolver
// would try first for many projects at once (all fetches in parallel). Both are for people looking at
// an index and for the end-to-end tests, which read their --json output.
#include <algorithm>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/index_options.hpp"
#include "cli/json_text.hpp"
#include "cli/target_options.hpp"
#include "thoth/index.hpp"
#include "thoth/metadata.hpp"
#include "thoth/net.hpp"
#include "thoth/pep508.hpp"  // is_valid_name

namespace thoth::cli {

namespace {

// ---- shared plumbing ----------------------------------------------------------------------------

// The session of one debug command, with the environment it reads (which must outlive it).
struct DebugSession {
  DebugSession(const IndexSettings& index, const TargetSettings& target, const Context& ctx)
      : env(ctx), session(index, target, env.session()) {
    session.open({});
  }
  CommandEnvironment env;
  Session session;
};

void note_stats(const Context& ctx, const HttpClient& client) {
  HttpClient::Stats st = client.stats();
  ctx.note("network requests " + std::to_string(st.network_requests) + ", cache hits " +
           std::to_string(st.cache_hits) + ", revalidated " + std::to_string(st.revalidated) + ", retries " +
           std::to_string(st.retries));
}

// The file whose metadata stands for the version: the best usable wheel (its METADATA is one small read)
// before an sdist, whose PKG-INFO may not be trusted.
const DistFile* metadata_file(const CandidateReport& r) {
  for (const DistFile* f : r.usable) {
    if (f->kind == DistFile::Kind::Wheel) return f;
  }
  return r.usable.empty() ? nullptr : r.usable.front();
}

// Metadata or the one-line reason it could not be read.
struct MetadataResult {
  std::shared_ptr<const CoreMetadata> metadata;
  std::string error;
};

MetadataResult read_metadata(PackageSource& source, const Candidate& c, const DistFile& f) {
  MetadataResult out;
  try {
    out.metadata = source.metadata(c, f);
  } catch (const Error& e) {
    out.error = one_line(e.what());
  }
  return out;
}

std::vector<std::string> requirement_strings(const CoreMetadata& m) {
  std::vector<std::string> out;
  for (const auto& r : m.requires_dist) out.push_back(r.str());
  return out;
}

void json_metadata(Json& j, const MetadataResult& m) {
  j.w().StartObject();
  if (m.metadata) {
    j.key("name");
    j.str(m.metadata->name);
    j.key("version");
    j.str(m.metadata->version.str());
    j.key("requires_python");
    j.str(m.metadata->requires_python.str());
    j.key("requires_dist");
    j.strings(requirement_strings(*m.metadata));
    j.key("provides_extra");
    j.strings(m.metadata->provides_extra);
  } else {
    j.key("error");
    j.str(m.error);
  }
  j.w().EndObject();
}

// ---- debug candidates ---------------------------------------------------------------------------

struct CandidatesArgs {
  IndexSettings index;
  TargetSettings target;
  std::string name;
  bool json = false;
  bool metadata = false;
};

// Why the target cannot use a listed file (usable_files() applies the same two rules).
std::string unusable_reason(const DistFile& f, const Target& target) {
  if (!python_matches(f.requires_python, requires_python_version(target))) return "requires-python";
  if (f.kind == DistFile::Kind::Wheel) return f.wheel ? "tags" : "bad name";
  return "binary policy";
}

struct VersionView {
  const Candidate* candidate;
  CandidateReport report;
  const DistFile* metadata_from = nullptr;
  std::optional<MetadataResult> metadata;
};

// Usable files in the order the target prefers them (best first), then the others in page order.
std::vector<const DistFile*> display_order(const VersionView& v) {
  std::vector<const DistFile*> out = v.report.usable;
  for (const DistFile& f : v.candidate->files) {
    if (std::find(out.begin(), out.end(), &f) == out.end()) out.push_back(&f);
  }
  return out;
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string hash_names(const DistFile& f) {
  std::string out;
  for (const auto& [algo, hex] : f.hashes) {
    if (!out.empty()) out += ",";
    out += algo;
  }
  return out.empty() ? "-" : out;
}

std::string text_candidates(const std::string& name, const std::vector<VersionView>& views, const Target& target) {
  std::string out;
  std::size_t usable_versions = 0;
  for (const auto& v : views) usable_versions += v.report.usable.empty() ? 0 : 1;
  out += name + ": " + std::to_string(views.size()) + " version(s), " + std::to_string(usable_versions) +
         " usable on " + (target.tags.tags().empty() ? std::string("the target") : target.tags.tags().front().str()) + "\n";
  if (views.empty()) return out;

  // One table: a row per file, the version and its facts on the version's first row.
  struct Row {
    std::string version, file, usable, hashes, metadata, requires_python, yanked;
  };
  std::vector<Row> rows;
  std::vector<std::vector<std::string>> notes(1);  // notes[i]: lines printed below rows[i]
  rows.push_back({"VERSION", "FILE", "USABLE", "HASHES", "PEP658", "REQUIRES-PYTHON", "YANKED"});
  for (const auto& v : views) {
    bool first = true;
    for (const DistFile* file : display_order(v)) {
      const DistFile& f = *file;
      auto pos = std::find(v.report.usable.begin(), v.report.usable.end(), &f);
      std::string usable = pos == v.report.usable.end()    ? "no (" + unusable_reason(f, target) + ")"
                           : pos == v.report.usable.begin() ? "best"
                                                            : "yes";
      std::string yanked = f.yanked ? (f.yanked->empty() ? "yanked" : "yanked: " + *f.yanked) : "";
      rows.push_back({first ? v.report.version.str() : "", f.filename, usable, hash_names(f),
                      yes_no(f.core_metadata.has_value()), f.requires_python.empty() ? "-" : f.requires_python,
                      yanked});
      notes.emplace_back();
      first = false;
    }
    if (v.metadata) {
      auto& after = notes.back();
      const std::string from = v.metadata_from ? " (from " + v.metadata_from->filename + ")" : "";
      if (v.metadata->metadata) {
        const CoreMetadata& m = *v.metadata->metadata;
        after.push_back("metadata" + from + ": requires-python " +
                        (m.requires_python.str().empty() ? "-" : m.requires_python.str()));
        for (const auto& r : requirement_strings(m)) after.push_back("  requires-dist " + r);
      } else {
        after.push_back("metadata" + from + ": unavailable: " + v.metadata->error);
      }
    }
  }
  std::size_t w[6] = {};
  for (const auto& r : rows) {
    const std::string* cells[6] = {&r.version, &r.file, &r.usable, &r.hashes, &r.metadata, &r.requires_python};
    for (int i = 0; i < 6; ++i) w[i] = std::max(w[i], cells[i]->size());
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const std::string* cells[7] = {&r.version, &r.file, &r.usable, &r.hashes, &r.metadata, &r.requires_python,
                                   &r.yanked};
    std::string line;
    for (int c = 0; c < 7; ++c) {
      line += *cells[c];
      if (c < 6) line += std::string(w[c] - cells[c]->size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (i < notes.size()) {
      for (const auto& n : notes[i]) out += std::string(w[0] + 2, ' ') + n + "\n";
    }
  }
  return out;
}

std::string json_candidates(const std::string& name, const std::vector<VersionView>& views, const Target& target,
                            const std::vector<std::string>& warnings) {
  Json j;
  auto& w = j.w();
  w.StartObject();
  j.key("name");
  j.str(name);
  j.key("python");
  const auto& full = target.markers.version(MarkerVar::PythonFullVersion);
  j.str(full ? full->str() : target.python_version.str());
  j.key("versions");
  w.StartArray();
  for (const auto& v : views) {
    w.StartObject();
    j.key("version");
    j.str(v.report.version.str());
    j.key("yanked");
    w.Bool(v.report.yanked);
    j.key("yank_reason");
    j.str_or_null(v.report.yanked ? std::optional<std::string>(v.report.yank_reason) : std::nullopt);
    j.key("requires_python");
    j.strings(v.report.requires_python);
    j.key("best");
    j.str_or_null(v.report.usable.empty() ? std::nullopt : std::optional<std::string>(v.report.usable.front()->filename));
    j.key("files");
    w.StartArray();
    for (const DistFile* file : display_order(v)) {
      const DistFile& f = *file;
      auto pos = std::find(v.report.usable.begin(), v.report.usable.end(), &f);
      w.StartObject();
      j.key("filename");
      j.str(f.filename);
      j.key("url");
      j.str(redact_url(f.url));
      j.key("kind");
      j.str(f.kind == DistFile::Kind::Wheel ? "wheel" : "sdist");
      j.key("usable");
      w.Bool(pos != v.report.usable.end());
      if (pos == v.report.usable.end()) {
        j.key("unusable_reason");
        j.str(unusable_reason(f, target));
      }
      j.key("best");
      w.Bool(pos == v.report.usable.begin() && pos != v.report.usable.end());
      j.key("hashes");
      w.StartObject();
      for (const auto& [algo, hex] : f.hashes) {
        j.key(algo);
        j.str(hex);
      }
      w.EndObject();
      j.key("requires_python");
      j.str(f.requires_python);
      j.key("yanked");
      j.str_or_null(f.yanked);
      j.key("core_metadata");
      w.Bool(f.core_metadata.has_value());
      j.key("upload_time");
      j.str_or_null(f.upload_time);
      j.key("size");
      if (f.size) {
        w.Uint64(*f.size);
      } else {
        w.Null();
      }
      j.key("source");
      w.Uint64(f.index_position);
      w.EndObject();
    }
    w.EndArray();
    if (v.metadata) {
      j.key("metadata_file");
      j.str_or_null(v.metadata_from ? std::optional<std::string>(v.metadata_from->filename) : std::nullopt);
      j.key("metadata");
      json_metadata(j, *v.metadata);
    }
    w.EndObject();
  }
  w.EndArray();
  j.key("warnings");
  j.strings(warnings);
  w.EndObject();
  return j.text();
}

// A project name as PEP 508 defines it ("names"): anything else is a typo to report (exit status 2),
// not a page to ask the index for.
void check_project_name(const std::string& name) {
  if (!is_valid_name(name)) {
    throw CliError(ExitCode::Usage, "invalid project name '" + name +
                                        "' (letters, digits, '.', '-' and '_', starting and ending with a "
                                        "letter or digit)");
  }
}

int run_candidates(const CandidatesArgs& args, Context& ctx) {
  check_project_name(args.name);
  DebugSession s(args.index, args.target, ctx);
  const std::string name = normalize_name(args.name);
  std::vector<Candidate> candidates = s.session.source().candidates(name);
  std::vector<CandidateReport> reports = report_candidates(candidates, s.session.target(), BinaryPolicy{});

  std::vector<VersionView> views;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    views.push_back({&candidates[i], std::move(reports[i]), nullptr, std::nullopt});
  }
  int rc = code(ExitCode::Success);
  if (args.metadata) {
    // Every fetch is started before the first wait, so they run in parallel.
    for (auto& v : views) {
      v.metadata_from = metadata_file(v.report);
      if (v.metadata_from) s.session.source().prefetch_metadata(*v.candidate, *v.metadata_from);
    }
    for (auto& v : views) {
      if (v.metadata_from) v.metadata = read_metadata(s.session.source(), *v.candidate, *v.metadata_from);
      if (v.metadata && !v.metadata->metadata) {
        ctx.err << "thoth: error: " << v.metadata->error << '\n';
        rc = code(ExitCode::Index);
      }
    }
  }
  std::vector<std::string> warnings = s.session.source().take_warnings();
  for (const std::string& w : warnings) ctx.warning(w);
  note_stats(ctx, s.session.client());
  ctx.out << (args.json ? json_candidates(name, views, s.session.target(), warnings)
                        : text_candidates(name, views, s.session.target()));
  return rc;
}

CLI::App* add_candidates(CLI::App& debug, std::shared_ptr<CandidatesArgs> args) {
  CLI::App* cmd = debug.add_subcommand("candidates", "Show the versions and files the indexes offer for a project");
  cmd->footer(
      "For each version, newest first: every file the sources list, whether the target can use it\n"
      "(best = the file an install would pick), its hashes, whether the index serves its metadata\n"
      "separately (PEP 658), Requires-Python and yanked state. --metadata also reads each version's\n"
      "metadata (exit status 3 if one cannot be read).");
  cmd->add_option("NAME", args->name, "Project name")->required()->type_name("");
  cmd->add_flag("--json", args->json, "Print a JSON document instead of a table");
  cmd->add_flag("--metadata", args->metadata, "Also read each usable version's core metadata");
  add_index_options(*cmd, args->index);
  add_target_options(*cmd, args->target);
  return cmd;
}

// ---- debug metadata -----------------------------------------------------------------------------

struct MetadataArgs {
  IndexSettings index;
  TargetSettings target;
  std::vector<std::string> names;
  bool json = false;
};

// The version a resolver tries first: the newest one with a usable file that is not yanked (PEP 592),
// a final release unless the project has nothing else (PEP 440 pre-release handling).
std::optional<std::size_t> preferred_version(const std::vector<CandidateReport>& reports) {
  std::optional<std::size_t> pre;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    if (reports[i].yanked || reports[i].usable.empty()) continue;
    if (!reports[i].version.is_prerelease()) return i;
    if (!pre) pre = i;
  }
  return pre;
}

struct ProjectMetadata {
  std::string name;
  std::vector<Candidate> candidates;
  std::optional<std::size_t> chosen;
  const DistFile* file = nullptr;
  MetadataResult result;
};

int run_metadata(const MetadataArgs& args, Context& ctx) {
  for (const auto& n : args.names) check_project_name(n);
  DebugSession s(args.index, args.target, ctx);
  std::vector<ProjectMetadata> projects;
  for (const auto& n : args.names) {
    std::string norm = normalize_name(n);
    bool dup = std::any_of(projects.begin(), projects.end(), [&](const ProjectMetadata& p) { return p.name == norm; });
    if (!dup) projects.push_back({norm, {}, std::nullopt, nullptr, {}});
  }
  // Pages first, all at once; then each project's metadata as soon as its page is in.
  for (const auto& p : projects) s.session.source().prefetch_candidates(p.name);
  for (auto& p : projects) {
    try {
      p.candidates = s.session.source().candidates(p.name);
    } catch (const Error& e) {
      p.result.error = one_line(e.what());
      continue;
    }
    std::vector<CandidateReport> reports = report_candidates(p.candidates, s.session.target(), BinaryPolicy{});
    p.chosen = preferred_version(reports);
    if (!p.chosen) {
      p.result.error = p.candidates.empty() ? p.name + ": no such project on the configured indexes"
                                            : p.name + ": no version usable on the target";
      continue;
    }
    p.file = metadata_file(reports[*p.chosen]);
    s.session.source().prefetch_metadata(p.candidates[*p.chosen], *p.file);
  }
  int rc = code(ExitCode::Success);
  for (auto& p : projects) {
    if (p.file) p.result = read_metadata(s.session.source(), p.candidates[*p.chosen], *p.file);
    if (!p.result.metadata) {
      ctx.err << "thoth: error: " << p.result.error << '\n';
      rc = code(ExitCode::Index);
    }
  }
  std::vector<std::string> warnings = s.session.source().take_warnings();
  for (const std::string& w : warnings) ctx.warning(w);
  note_stats(ctx, s.session.client());

  if (args.json) {
    Json j;
    j.w().StartObject();
    j.key("projects");
    j.w().StartArray();
    for (const auto& p : projects) {
      j.w().StartObject();
      j.key("name");
      j.str(p.name);
      j.key("version");
      j.str_or_null(p.chosen ? std::optional<std::string>(p.candidates[*p.chosen].version.str()) : std::nullopt);
      j.key("file");
      j.str_or_null(p.file ? std::optional<std::string>(p.file->filename) : std::nullopt);
      j.key("metadata");
      json_metadata(j, p.result);
      j.w().EndObject();
    }
    j.w().EndArray();
    j.key("warnings");
    j.strings(warnings);
    j.w().EndObject();
    ctx.out << j.text();
  } else {
    for (const auto& p : projects) {
      if (!p.result.metadata) continue;  // already reported on stderr
      const CoreMetadata& m = *p.result.metadata;
      ctx.out << p.name << ' ' << m.version.str() << " (" << p.file->filename << ")\n";
      if (!m.requires_python.str().empty()) ctx.out << "  requires-python " << m.requires_python.str() << '\n';
      for (const auto& r : requirement_strings(m)) ctx.out << "  requires-dist " << r << '\n';
    }
  }
  return rc;
}

CLI::App* add_metadata(CLI::App& debug, std::shared_ptr<MetadataArgs> args) {
  CLI::App* cmd = debug.add_subcommand("metadata", "Read the metadata of the preferred version of projects");
  cmd->footer(
      "For each project: the newest version that is not yanked and has a file usable on the target\n"
      "(a pre-release only when there is nothing else), and its core metadata, read the cheapest way\n"
      "(PEP 658 file, range requests into the wheel, the sdist's PKG-INFO). Every fetch runs in\n"
      "parallel. Exit status 3 if any project fails; the others are still printed.");
  cmd->add_option("NAME", args->names, "Project names")->required()->type_name("");
  cmd->add_flag("--json", args->json, "Print a JSON document instead of text");
  add_index_options(*cmd, args->index);
  add_target_options(*cmd, args->target);
  return cmd;
}

}  // namespace

Command add_debug_command(CLI::App& root, Context& ctx) {
  CLI::App* debug = root.add_subcommand("debug", "Inspect what the indexes offer (candidates, metadata)");
  debug->require_subcommand(0, 1);
  auto candidates_args = std::make_shared<CandidatesArgs>();
  auto metadata_args = std::make_shared<MetadataArgs>();
  CLI::App* candidates = add_candidates(*debug, candidates_args);
  CLI::App* metadata = add_metadata(*debug, metadata_args);
  return {debug, [debug, candidates, metadata, candidates_args, metadata_args, &ctx]() {
            if (candidates->parsed()) return run_candidates(*candidates_args, ctx);
            if (metadata->parsed()) return run_metadata(*metadata_args, ctx);
            ctx.out << debug->get_formatter()->make_help(debug, "thoth debug", CLI::AppFormatMode::Normal);
            return code(ExitCode::Success);
          }};
}

}  // namespace thoth::cli
