// `thoth cache dir|info|clean`: where the on-disk cache is, what it holds, and emptying it. Cleaning
// removes only the stores thoth itself creates there (clean_cache() in thoth/index.hpp), so a mistyped
// --cache-dir cannot wipe someone's files.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <system_error>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/index_options.hpp"
#include "thoth/index.hpp"

namespace thoth::cli {

namespace {

struct CacheArgs {
  std::string cache_dir;
};

std::string human_size(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", value, units[unit]);
  return buf;
}

std::string entries(std::uint64_t count, std::uint64_t bytes) {
  return std::to_string(count) + (count == 1 ? " entry, " : " entries, ") + human_size(bytes) + " (" +
         std::to_string(bytes) + " bytes)";
}

int run_info(const std::filesystem::path& dir, Context& ctx) {
  CacheUsage u = cache_usage(dir);
  std::error_code ec;
  ctx.out << "cache directory: " << dir.string()
          << (std::filesystem::is_directory(dir, ec) ? "" : " (does not exist yet)") << '\n';
  for (const CacheStoreUsage& store : u.stores) ctx.out << store.what << ": " << entries(store.entries, store.bytes) << '\n';
  ctx.out << "total: " << entries(u.entries(), u.bytes()) << '\n';
  return code(ExitCode::Success);
}

int run_clean(const std::filesystem::path& dir, Context& ctx) {
  CacheUsage u = clean_cache(dir);
  // The directory itself goes only when nothing else is in it (remove() refuses a non-empty one).
  std::error_code ec;
  std::filesystem::remove(dir, ec);
  ctx.out << "removed " << entries(u.entries(), u.bytes()) << " from " << dir.string()
          << '\n';
  return code(ExitCode::Success);
}

}  // namespace

Command add_cache_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<CacheArgs>();
  CLI::App* cache = root.add_subcommand("cache", "Show or empty the on-disk cache (index pages, metadata, unpacked and built wheels)");
  cache->footer(
      "The cache is $XDG_CACHE_HOME/thoth, else ~/.cache/thoth, unless --cache-dir says otherwise.\n"
      "clean removes only what thoth stores there.");
  cache->require_subcommand(0, 1);
  CLI::App* dir = cache->add_subcommand("dir", "Print the cache directory");
  CLI::App* info = cache->add_subcommand("info", "Print the number and size of cached entries");
  CLI::App* clean = cache->add_subcommand("clean", "Remove every cached entry");
  for (CLI::App* sub : {dir, info, clean}) {
    sub->add_option("--cache-dir", args->cache_dir, "Cache directory to use instead of the default")
        ->type_name("DIR");
  }
  return {cache, [cache, dir, info, clean, args, &ctx]() {
            if (!dir->parsed() && !info->parsed() && !clean->parsed()) {
              ctx.out << cache->get_formatter()->make_help(cache, "thoth cache", CLI::AppFormatMode::Normal);
              return code(ExitCode::Success);
            }
            // Every failure here is local (no cache location, a file that cannot be removed): exit
            // status 2, not the index failure (3) the module's IndexError stands for elsewhere.
            try {
              const std::filesystem::path path = cache_directory(args->cache_dir, ctx.env);
              if (dir->parsed()) {
                ctx.out << path.string() << '\n';
                return code(ExitCode::Success);
              }
              return info->parsed() ? run_info(path, ctx) : run_clean(path, ctx);
            } catch (const IndexError& e) {
              throw CliError(ExitCode::Usage, e.what());
            }
          }};
}

}  // namespace thoth::cli
