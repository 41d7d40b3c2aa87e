// `thoth lock`: resolves requirements (files and arguments, as pip reads them) for a target environment
// and writes the result as a lock file: requirements.txt in pip-compile's layout (default), PEP 751
// pylock.toml, or pip's installation report JSON. The file is written only when everything succeeded,
// and atomically.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/compile_command.hpp"
#include "cli/direct_candidate.hpp"
#include "cli/exit_codes.hpp"
#include "cli/index_options.hpp"
#include "cli/io.hpp"
#include "cli/lock_upgrade.hpp"
#include "cli/requirements_source.hpp"
#include "cli/resident_heap.hpp"
#include "cli/target_options.hpp"
#include "cli/version.hpp"
#include "inputs/line_options.hpp"  // apply_binary_option: pip's FormatControl rules, shared with files
#include "thoth/hash.hpp"
#include "thoth/inputs.hpp"
#include "thoth/lock.hpp"
#include "thoth/net.hpp"
#include "thoth/resolve.hpp"

namespace thoth::cli {

namespace {

constexpr std::size_t kLockHeapStep = 4 << 20;

struct LockArgs {
  std::vector<std::string> requirements;  // REQ... arguments
  std::vector<std::string> requirement_files;
  std::vector<std::string> constraint_files;
  std::string output;
  std::string format = "requirements";
  bool generate_hashes = false;
  bool allow_unsafe = false;
  bool pre = false;
  std::vector<std::string> only_binary;
  std::vector<std::string> no_binary;
  bool prefer_binary = false;
  std::optional<double> resolve_timeout;
  bool upgrade = false;
  std::vector<std::string> upgrade_packages;
  std::vector<std::string> unsafe_packages;
  bool no_header = false;
  bool no_annotate = false;
  bool strip_extras = false;
  std::string annotation_style = "split";
  bool emit_index_url = true;
  bool dry_run = false;
  TargetArgs target;
  IndexOptionValues index;
};

// ---- Inputs ---------------------------------------------------------------------------------------

// Whether a positional argument names a requirements file: pip-compile and `uv pip compile` take their
// source files positionally. An existing file ending in .in or .txt is one (so `thoth lock
// requirements.in` works as `-r requirements.in`); anything else stays a requirement ("requests",
// "./dist/x.whl"). Project files are source files to them too, which thoth cannot read yet.
bool is_source_file(const std::string& arg) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(arg, ec)) return false;
  std::string name = std::filesystem::path(arg).filename().string();
  if (name == "pyproject.toml" || name == "setup.py" || name == "setup.cfg") {
    throw CliError(ExitCode::Usage, arg + ": reading dependencies from " + name +
                                        " is not supported yet; list them in a requirements.in and lock that");
  }
  return has_suffix(name, ".in") || has_suffix(name, ".txt");
}

RequirementSet read_inputs(const LockArgs& args, const Context& ctx) {
  RequirementsSource files([&]() { return make_index_setup(args.index, ctx).http; });
  RequirementsParser parser([&files](const std::string& path) { return files.read(path); },
                            [&ctx](std::string_view name) { return ctx.getenv(std::string(name)); });
  RequirementSet set;
  for (const std::string& f : args.requirement_files) parser.parse_file(f, false, set);
  for (const std::string& f : args.constraint_files) parser.parse_file(f, true, set);
  std::filesystem::path cwd = std::filesystem::current_path();
  for (const std::string& text : args.requirements) {
    if (is_source_file(text)) {
      parser.parse_file(text, false, set);
      continue;
    }
    UserRequirement r = RequirementsParser::parse_argument(text, cwd);
    r.origin = "";  // the command line: pip-compile names no source for it
    set.requirements.push_back(std::move(r));
  }
  if (set.requirements.empty())
    throw CliError(ExitCode::Usage, "nothing to lock: give requirements or requirements files as arguments, or -r FILE");
  return set;
}

BinaryPolicy binary_policy(const LockArgs& args, const FileOptions& files) {
  BinaryPolicy policy = files.binary;
  // The command line after the files: pip applies these options in the order it reads them.
  try {
    for (const std::string& v : args.no_binary) apply_binary_option(policy, v, /*no_binary=*/true);
    for (const std::string& v : args.only_binary) apply_binary_option(policy, v, /*no_binary=*/false);
  } catch (const std::exception& e) {
    throw CliError(ExitCode::Usage, std::string("invalid --no-binary/--only-binary value: ") + e.what());
  }
  policy.prefer_binary = policy.prefer_binary || args.prefer_binary;
  return policy;
}

// ---- Sources and files ----------------------------------------------------------------------------

// The base URL of each source build_source() creates, in DistFile::index_position order: the indexes
// that are used (deduplicated; http:// only to local or trusted hosts), then the find-links locations
// that exist ("" for each: not an index).
std::vector<std::string> source_urls(const IndexConfig& config) {
  auto host_of = [](std::string_view url) {
    std::string_view rest = url.substr(url.find("://") + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    std::string hostport(rest);
    std::transform(hostport.begin(), hostport.end(), hostport.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string host = hostport[0] == '[' ? hostport.substr(1, hostport.find(']') - 1)
                                          : hostport.substr(0, hostport.rfind(':') == std::string::npos
                                                                   ? std::string::npos
                                                                   : hostport.rfind(':'));
    return std::make_pair(host, hostport);
  };
  auto usable = [&](const std::string& url) {
    if (url.rfind("http://", 0) != 0) return true;
    auto [host, hostport] = host_of(url);
    if (host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0) return true;
    return std::any_of(config.trusted_hosts.begin(), config.trusted_hosts.end(),
                       [&](const std::string& t) { return t == host || t == hostport; });
  };
  std::vector<std::string> out;
  if (!config.no_index) {
    std::vector<std::string> urls{config.index_url};
    urls.insert(urls.end(), config.extra_index_urls.begin(), config.extra_index_urls.end());
    std::vector<std::string> seen;
    for (const std::string& raw : urls) {
      if (raw.empty()) continue;
      std::string url = raw.find("://") != std::string::npos ? raw : local_file_url(raw);
      if (std::find(seen.begin(), seen.end(), url) != seen.end()) continue;
      seen.push_back(url);
      if (usable(url)) out.push_back(redact_url(url));
    }
  }
  for (const std::string& location : config.find_links) {
    if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) {
      if (usable(location)) out.emplace_back();
      continue;
    }
    std::string path = location.rfind("file://", 0) == 0 ? location.substr(7) : location;
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) out.emplace_back();
  }
  return out;
}

// Files without a sha256 (an index that lists none) are downloaded and hashed: pip-compile does the
// same for --generate-hashes, and PEP 751 requires a hash for every file.
void fill_missing_hashes(std::vector<DistFile>& files, HttpClient& client, const Context& ctx) {
  for (DistFile& f : files) {
    if (!f.sha256().empty()) continue;
    ctx.note("hashing " + redact_url(f.url) + " (the index gives no sha256)");
    HttpRequest req(f.url);
    req.cache = CachePolicy::no_store;
    f.hashes["sha256"] = sha256_hex(client.get(std::move(req)).body);
  }
}

const Candidate* find_version(const std::vector<Candidate>& candidates, const Version& v) {
  for (const Candidate& c : candidates)
    if (c.version == v) return &c;
  return nullptr;
}

// ---- The command ----------------------------------------------------------------------------------

constexpr double kMaxResolveTimeout = 1e7;  // seconds (115 days): far beyond use, far from overflow
static_assert(kMaxResolveTimeout == 10000000, "the message below names the limit");

// Runs the resolver; a timeout is reported in the terms of the option that set it. Exit status 1, as
// for no solution.
Resolution resolve_in_time(Resolver& resolver, const std::vector<RootRequirement>& roots,
                           const std::vector<Requirement>& constraints,
                           const std::optional<std::chrono::milliseconds>& timeout) {
  try {
    return resolver.resolve(roots, constraints);
  } catch (const ResolutionError& e) {
    if (!timeout || !e.timed_out()) throw;
    throw ResolutionError(std::string(e.what()) + " (--resolve-timeout): allow more time, or narrow the requirements",
                          "", true);
  }
}

int run_lock(const LockArgs& args, const CLI::App& cmd, Context& ctx) {
  std::optional<LockFormat> format = parse_lock_format(args.format);
  if (!format) {
    throw CliError(ExitCode::Usage,
                   "invalid --format '" + args.format + "' (expected requirements, pylock or report)");
  }
  if (args.annotation_style != "split" && args.annotation_style != "line") {
    throw CliError(ExitCode::Usage, "invalid --annotation-style '" + args.annotation_style + "' (expected split or line)");
  }
  for (const std::string& name : args.unsafe_packages) {
    if (!is_valid_name(name))
      throw CliError(ExitCode::Usage, "invalid --unsafe-package '" + name + "' (expected a project name)");
  }
  // A lock of a hundred packages allocates about 10 MB (parsed listings, metadata, the solver): the
  // heap is reserved a few MiB at a time, as it fills.
  reserve_resident_heap(kLockHeapStep);
  if (args.resolve_timeout && !(*args.resolve_timeout > 0 && *args.resolve_timeout <= kMaxResolveTimeout)) {
    throw CliError(ExitCode::Usage, "invalid --resolve-timeout (expected seconds > 0, at most 10000000)");
  }

  UpgradeOptions upgrade = parse_upgrade_options(args.upgrade, args.upgrade_packages);
  RequirementSet inputs = read_inputs(args, ctx);

  IndexOptions from_files;
  from_files.index_url = inputs.options.index_url;
  from_files.extra_index_urls = inputs.options.extra_index_urls;
  from_files.find_links = inputs.options.find_links;
  if (inputs.options.no_index) from_files.no_index = true;
  from_files.trusted_hosts = inputs.options.trusted_hosts;
  IndexSetup setup = make_index_setup(args.index, ctx, from_files);
  report_warnings(ctx, setup.warnings);
  HttpClient client(setup.http);
  std::vector<std::string> warnings;
  std::unique_ptr<PackageSource> source = build_source(setup.config, client, &warnings);
  report_warnings(ctx, warnings);
  // An interpreter that has to be run (its facts not cached yet) keeps the lock waiting for tens of
  // milliseconds: meanwhile the index pages of the unconditional roots are requested (loading libcurl
  // on the way). Roots with markers wait for the target, so as not to fetch what it may rule out.
  auto prefetch_roots = [&inputs, &source] {
    try {
      for (const UserRequirement& r : inputs.requirements) {
        if (r.link.empty() && r.requirement.url.empty() && !r.requirement.marker && !r.requirement.name.empty())
          source->prefetch_candidates(r.requirement.name);
      }
    } catch (...) {
      // A hint only: the resolution asks again and reports what goes wrong.
    }
  };
  Target target = resolve_target(args.target, ctx, setup.cache_dir, prefetch_roots);

  ResolveOptions options;
  options.target = target;
  options.binary = binary_policy(args, inputs.options);
  options.allow_prereleases = args.pre || inputs.options.pre;
  // Whole milliseconds, rounded up: any positive value stays positive (0.0004 s used to become 0 ms).
  if (args.resolve_timeout)
    options.timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(*args.resolve_timeout * 1000)));

  std::vector<RootRequirement> roots;
  for (UserRequirement& r : inputs.requirements) {
    if (!r.link.empty() || !r.requirement.url.empty()) options.direct.push_back(direct_candidate(r));
    // pip-compile's "# via -r FILE" for a requirement read from FILE; nothing for the command line.
    roots.push_back({r.requirement, r.origin.empty() ? std::string() : "-r " + r.origin});
  }
  std::vector<Requirement> constraints;
  for (const UserRequirement& c : inputs.constraints) {
    if (c.requirement.name.empty()) {
      throw CliError(ExitCode::Usage, where(c) + ": a constraint must name a project (" + c.link + ")");
    }
    constraints.push_back(c.requirement);
  }
  constraints.insert(constraints.end(), upgrade.constraints.begin(), upgrade.constraints.end());

  ctx.note("resolving " + std::to_string(roots.size()) + " requirement(s) for Python " + target.python_version.str());
  // Without an existing lock this is the latest policy.
  PreferPinnedPolicy policy(existing_pins(args.output, upgrade, ctx));
  auto resolver = std::make_unique<Resolver>(*source, policy, options);
  auto resolution_owner = std::make_unique<Resolution>(resolve_in_time(*resolver, roots, constraints, options.timeout));
  Resolution& resolution = *resolution_owner;
  report_warnings(ctx, source->take_warnings());
  report_warnings(ctx, resolution.warnings);
  ctx.note("resolved " + std::to_string(resolution.pins.size()) + " package(s)");

  auto lock_owner = std::make_unique<LockContext>();
  LockContext& lock = *lock_owner;
  if (auto custom = ctx.getenv("CUSTOM_COMPILE_COMMAND"); custom && !custom->empty()) {
    lock.command = *custom;  // pip-compile's override for wrappers (make targets, scripts)
  } else {
    lock.command = compile_command(cmd);
  }
  lock.tool_version = std::string(kVersion);
  lock.requirements = inputs.requirements;
  lock.constraints = inputs.constraints;
  lock.index = setup.config;
  lock.source_urls = source_urls(setup.config);
  lock.binary = options.binary;
  lock.generate_hashes = args.generate_hashes;
  lock.allow_unsafe = args.allow_unsafe;
  for (const std::string& name : args.unsafe_packages) lock.unsafe_packages.push_back(normalize_name(name));
  lock.header = !args.no_header;
  lock.annotate = !args.no_annotate;
  lock.strip_extras = args.strip_extras;
  lock.emit_index_url = args.emit_index_url;
  lock.annotation_style =
      args.annotation_style == "line" ? LockContext::AnnotationStyle::line : LockContext::AnnotationStyle::split;

  // What the chosen format needs beyond the pins: every file of each pinned version (hashes), core
  // metadata (report, pylock), a hash for every listed file (pylock). The source has these cached.
  for (Pin& pin : resolution.pins) {
    const Candidate* candidate = nullptr;
    if (!pin.direct_url.empty()) {
      for (const Candidate& c : options.direct)
        if (c.name == pin.name) candidate = &c;
    } else {
      candidate = find_version(source->candidates(pin.name), pin.version);
    }
    if (*format == LockFormat::requirements && args.generate_hashes && candidate != nullptr && pin.direct_url.empty()) {
      std::vector<DistFile> files = candidate->files;
      fill_missing_hashes(files, client, ctx);
      lock.release_files[pin.name] = std::move(files);
    }
    if (*format == LockFormat::pylock || (*format == LockFormat::requirements && args.generate_hashes))
      fill_missing_hashes(pin.files, client, ctx);
    // The report carries the whole metadata; pylock its Requires-Python (spec "packages.requires-python").
    if (*format != LockFormat::requirements && candidate != nullptr && !pin.files.empty())
      lock.metadata[pin.name] = source->metadata(*candidate, pin.files.front());
  }
  // Done with the source: it holds every project's parsed listing (a tenth of a warm run's
  // instructions go to freeing them), only memory (downloads are in the client's scratch directory).
  ctx.keep_until_exit(source);

  std::string text = write_lock(*format, resolution, lock);
  // The same for what the resolution learnt about each project and what the lock was made from
  // (every package's metadata): about 2 M instructions of freeing in a warm lock of 122 packages.
  ctx.keep_until_exit(resolver);
  ctx.keep_until_exit(resolution_owner);
  ctx.keep_until_exit(lock_owner);
  if (args.dry_run) {
    // pip-compile --dry-run shows the lock and changes nothing. It prints to stderr; the lock is this
    // command's output, so it goes to stdout as without -o.
    write_output("-", text, ctx.out);
    if (ctx.verbosity != Verbosity::Quiet) ctx.err << "Dry-run, so nothing updated.\n";
    return code(ExitCode::Success);
  }
  write_output(args.output, text, ctx.out);
  if (!args.output.empty() && args.output != "-") ctx.note("wrote " + args.output);
  return code(ExitCode::Success);
}

}  // namespace

Command add_lock_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<LockArgs>();
  CLI::App* cmd = root.add_subcommand("lock", "Resolve requirements and write a lock file");
  cmd->footer(
      "Requirements come from arguments (as pip install takes them) and -r files; -c files only\n"
      "restrict versions. Options inside requirements files apply too; the command line wins. The lock\n"
      "is written to stdout, or atomically to -o FILE: requirements.txt as pip-compile writes it\n"
      "(default), PEP 751 pylock.toml (--format pylock), or pip's installation report (--format report).\n"
      "As with pip-compile, the versions an existing -o FILE pins are kept while they still fit the\n"
      "inputs; -U releases all of them, -P NAME one. The target is the active interpreter unless target options say otherwise; see thoth(1).");
  cmd->add_option("requirements", args->requirements, "Requirements, e.g. 'requests>=2' or ./dist/x.whl")
      ->type_name("REQ");
  cmd->add_option("-r,--requirement", args->requirement_files, "Requirements file (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("-c,--constraint", args->constraint_files, "Constraints file (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("-o,--output,--output-file", args->output, "Write the lock to FILE ('-' for stdout, the default)")
      ->type_name("FILE");
  cmd->add_option("--format", args->format, "requirements (default), pylock or report")->type_name("FORMAT");
  cmd->add_flag("--generate-hashes", args->generate_hashes,
                "Add --hash lines for every file of each pinned version (requirements format)");
  cmd->add_flag("--allow-unsafe", args->allow_unsafe,
                "Pin the unsafe packages too (pip-compile comments them out by default)");
  cmd->add_option("--unsafe-package", args->unsafe_packages,
                  "Consider NAME unsafe (repeatable; replaces the default setuptools, distribute, pip)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd->add_flag("--dry-run", args->dry_run, "Print the lock on stdout and write no file");
  const std::string out_group = "Output options (requirements format)";
  cmd->add_flag("--no-header", args->no_header, "Leave out the comment block naming the command")->group(out_group);
  cmd->add_flag("--no-annotate", args->no_annotate, "Leave out the '# via' comments")->group(out_group);
  cmd->add_option("--annotation-style", args->annotation_style, "split (default: '# via' on lines of their own) or line")
      ->type_name("STYLE")
      ->group(out_group);
  cmd->add_flag("--strip-extras", args->strip_extras, "Write pins without their [extras]")->group(out_group);
  cmd->add_flag("--emit-index-url,!--no-emit-index-url", args->emit_index_url,
                "Write (default) or leave out the --index-url and --extra-index-url lines")
      ->group(out_group);
  const std::string group = "Resolution options";
  cmd->add_flag("--pre", args->pre, "Allow pre-releases and development releases")->group(group);
  cmd->add_flag("-U,--upgrade", args->upgrade, "Ignore the pins of the existing -o FILE (otherwise kept where they fit)")
      ->group(group);
  cmd->add_option("-P,--upgrade-package", args->upgrade_packages,
                  "Ignore the existing pin of NAME, optionally upgrading to NAME==VERSION (repeatable)")
      ->type_name("NAME[==VER]")
      ->allow_extra_args(false)
      ->group(group);
  cmd->add_option("--only-binary", args->only_binary, "Use only wheels for these projects (:all:, :none:, a,b)")
      ->type_name("NAMES")
      ->allow_extra_args(false)
      ->group(group);
  cmd->add_option("--no-binary", args->no_binary, "Use only sdists for these projects (:all:, :none:, a,b)")
      ->type_name("NAMES")
      ->allow_extra_args(false)
      ->group(group);
  cmd->add_flag("--prefer-binary", args->prefer_binary, "Prefer wheels over newer sdists")->group(group);
  cmd->add_option("--resolve-timeout", args->resolve_timeout, "Give up resolving after this many seconds")
      ->type_name("SECONDS")
      ->group(group);
  add_target_options(*cmd, args->target);
  add_index_options(*cmd, args->index);
  return {cmd, [args, cmd, &ctx]() { return run_lock(*args, *cmd, ctx); }};
}

}  // namespace thoth::cli
