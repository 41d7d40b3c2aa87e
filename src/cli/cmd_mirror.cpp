// `thoth mirror DIR [-o OUT] [--base-url URL]`: a static simple repository (PEP 503/691 pages, PEP
// 658 metadata files) made from a directory of wheels and sdists, for air-gapped machines and LAN
// mirrors. The work is write_mirror() (thoth/mirror.hpp); this adapts the command line to it.
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/index_options.hpp"
#include "thoth/mirror.hpp"
#include "base/url_text.hpp"

namespace thoth::cli {

namespace {

struct MirrorArgs {
  std::string dir;
  std::string out;
  std::string base_url;
};

std::string count(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

Command add_mirror_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<MirrorArgs>();
  CLI::App* cmd = root.add_subcommand("mirror", "Make a static package index from a directory of wheels and sdists");
  cmd->footer(
      "Writes OUT/simple (OUT is DIR unless -o says otherwise): PEP 503 HTML and PEP 691 JSON pages\n"
      "with sha256 hashes and Requires-Python, and each wheel's METADATA beside it as a PEP 658 file.\n"
      "Serve OUT with any web server, or use --index-url file://OUT/simple. Running it again after\n"
      "files were added or removed rewrites only the pages that change. The layout is in thoth(1).");
  cmd->add_option("DIR", args->dir, "Directory holding the wheels and sdists")
      ->required()
      ->check(CLI::ExistingDirectory)
      ->type_name("");
  cmd->add_option("-o,--output", args->out,
                  "Write the index under OUT (files outside OUT are hard-linked or copied into OUT/files)")
      ->type_name("OUT");
  cmd->add_option("--base-url", args->base_url,
                  "Link files as URL/NAME, where the files directory is served, instead of relatively")
      ->check([](const std::string& url) {
        return base::is_http_url(url) || base::is_file_url(url) ? std::string()
                                                               : "not an http(s):// or file:// URL: " + url;
      })
      ->type_name("URL");
  return {cmd, [args, &ctx]() {
            MirrorResult r = write_mirror({args->dir, args->out, args->base_url});
            for (const std::string& w : r.warnings) ctx.warning(w);
            for (const std::string& p : r.written) ctx.note("wrote the pages of " + p);
            for (const std::string& p : r.removed) ctx.note("removed the pages of " + p);
            ctx.out << "mirror " << r.simple_dir.string() << ": " << count(r.projects, "project", "projects")
                    << ", " << count(r.files, "file", "files") << " (" << r.read << " read, pages of "
                    << count(r.written.size(), "project", "projects") << " written, "
                    << r.removed.size() << " removed";
            if (r.copied > 0) ctx.out << ", " << count(r.copied, "file", "files") << " copied";
            ctx.out << ")\n"
                    << "index URL: " << r.index_url << '\n';
            return code(ExitCode::Success);
          }};
}

}  // namespace thoth::cli
