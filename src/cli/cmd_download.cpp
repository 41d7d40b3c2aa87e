// `thoth download`: fetches every file a target needs into a directory, for a machine that has no
// network: from requirements (resolved for the target first) or from a lock file, the best file per
// package for the target or, with --all-files, every file of each pinned version. Each file is checked
// against its hash; a file already in the directory with the right hash is not fetched again; a
// manifest (thoth-download.json) lists what the directory holds. `thoth mirror DIR` then turns the
// directory into an index.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/progress_display.hpp"
#include "cli/index_options.hpp"
#include "cli/lock_selection.hpp"
#include "cli/resolve_options.hpp"
#include "cli/json_text.hpp"
#include "cli/target_options.hpp"
#include "thoth/lock.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

namespace {

struct DownloadArgs {
  RequirementInputs inputs;
  std::string lock_file;
  LockSelection selection;  // of the --lock: categories, extras, dependency groups
  std::string dest;
  bool all_files = false;
  ResolveSettings resolve;
  TargetSettings target;
  IndexSettings index;
};

// The manifest: what was downloaded for which target, sorted by file name. Written after every file is
// in place, so a directory with a manifest is complete.
std::string manifest(const std::vector<DownloadedFile>& files, const Target& target) {
  std::vector<const DownloadedFile*> sorted;
  for (const DownloadedFile& f : files) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(), [](const DownloadedFile* a, const DownloadedFile* b) {
    return a->path.filename() < b->path.filename();
  });
  Json j;
  auto& w = j.w();
  w.StartObject();
  j.key("manifest-version");
  w.Int(1);
  j.key("python");
  j.str(target.python_version.str());
  j.key("tag");
  j.str(target.tags.tags().empty() ? std::string() : target.tags.tags().front().str());
  j.key("files");
  w.StartArray();
  for (const DownloadedFile* f : sorted) {
    w.StartObject();
    j.key("name");
    j.str(f->chosen.name);
    j.key("version");
    j.str(f->chosen.version);
    j.key("filename");
    j.str(f->path.filename().string());
    j.key("sha256");
    j.str(f->sha256);
    j.key("url");
    j.str(redact_url(f->chosen.file.url));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return j.text();
}

int run_download(const DownloadArgs& args, Context& ctx) {
  if (args.dest.empty()) throw CliError(ExitCode::Usage, "give the directory to download into with -d DIR");
  const bool from_lock = !args.lock_file.empty();
  if (from_lock && (!args.inputs.requirements.empty() || !args.inputs.requirement_files.empty() ||
                    !args.inputs.constraint_files.empty())) {
    throw CliError(ExitCode::Usage, "give either --lock FILE or requirements, not both (a lock is already resolved)");
  }
  require_lock_for_selection(args.selection, from_lock);
  CommandEnvironment env(ctx);
  std::optional<ProgressDisplay> progress;
  show_progress(progress, ctx, env);
  Session session(args.index, args.target, env.session());
  FileChoice choice;
  choice.all_files = args.all_files;
  std::vector<ChosenFile> files;
  if (from_lock) {
    Lock lock = read_selected_lock(args.lock_file, args.selection, ctx);
    session.open(lock.options.index);
    choice.lock_name = args.lock_file;
    files = session.choose_files(lock, choice);
  } else {
    RequirementSet inputs = session.read_requirements(args.inputs);
    if (inputs.requirements.empty())
      throw CliError(ExitCode::Usage, "nothing to download: give requirements, -r FILE or --lock FILE");
    session.open(inputs.options.index);
    LockNeeds needs;
    needs.pin_hashes = true;  // every download is checked against a hash
    needs.release_files = args.all_files;
    LatestPolicy latest;
    files = session.choose_files(session.resolve_lock(inputs, args.resolve, latest, needs), choice);
  }
  std::vector<DownloadedFile> done = session.download(files, args.dest);
  std::size_t reused = 0;
  for (const DownloadedFile& f : done) {
    reused += f.reused ? 1 : 0;
    ctx.note((f.reused ? "kept " : "downloaded ") + f.path.string());
  }
  write_output((std::filesystem::path(args.dest) / "thoth-download.json").string(), manifest(done, session.target()),
               ctx.out);
  if (ctx.verbosity != Verbosity::Quiet) {
    ctx.err << "thoth: " << done.size() << " file(s) in " << args.dest << " (" << done.size() - reused
            << " downloaded, " << reused << " already there)\n";
  }
  return code(ExitCode::Success);
}

}  // namespace

Command add_download_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<DownloadArgs>();
  CLI::App* cmd = root.add_subcommand("download", "Download the files a target needs into a directory");
  cmd->footer(
      "Resolves the requirements for the target (or reads --lock FILE, resolved already) and downloads\n"
      "the best file of each package for the target, or every file of each pinned version with\n"
      "--all-files. Files are checked against their hashes; those already in DIR with the right hash\n"
      "are kept. DIR/thoth-download.json lists them. Give the target of another machine with\n"
      "--target-env (from 'thoth env' there) or --python-version/--platform; see thoth(1).");
  add_requirement_options(*cmd, args->inputs);
  cmd->add_option("--lock", args->lock_file,
                  "A lock to download: requirements.txt with pins, pylock.toml, Pipfile.lock or a report ('-' for stdin)")
      ->type_name("FILE");
  add_lock_selection_options(*cmd, args->selection, "download");
  cmd->add_option("-d,--dest", args->dest, "Directory to download into (created if missing)")->type_name("DIR");
  cmd->add_flag("--all-files", args->all_files, "Every file of each pinned version, not only the target's best");
  const std::string group = "Resolution options";
  add_resolve_options(*cmd, args->resolve, group);
  add_target_options(*cmd, args->target);
  add_index_options(*cmd, args->index);
  return {cmd, [args, &ctx]() { return run_download(*args, ctx); }};
}

}  // namespace thoth::cli
