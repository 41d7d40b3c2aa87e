#include "install/compile.hpp"

#include "install/files.hpp"
#include "thoth/process.hpp"

namespace thoth::install_detail {
namespace {

constexpr int kCompileTimeoutSeconds = 3600;

// -I: no user site, no PYTHON* variables (PYTHONPYCACHEPREFIX would move the files), no cwd on
// sys.path. The output of compile_file (errors of files that do not compile) is dropped as pip does.
constexpr std::string_view kScript = R"PY(
import compileall, io, os, sys
with open(sys.argv[1], 'rb') as f:
    paths = [os.fsdecode(p) for p in f.read().split(b'\0') if p]
out = sys.stdout
sys.stdout = io.StringIO()
for p in paths:
    compileall.compile_file(p, force=True, quiet=True)
)PY";

}  // namespace

std::string pyc_path(const std::string& source, const std::string& cache_tag) {
  std::size_t slash = source.rfind('/');
  std::string_view dir = std::string_view(source).substr(0, slash + 1), file = std::string_view(source).substr(slash + 1);
  std::string_view stem = file.substr(0, file.rfind('.'));
  return std::string(dir) + "__pycache__/" + std::string(stem) + "." + cache_tag + ".pyc";
}

void compile_sources(const InstallEnvironment& env, const std::vector<std::string>& sources,
                     const std::filesystem::path& scratch_dir) {
  if (sources.empty()) return;
  std::string list;
  for (const std::string& p : sources) {
    list += p;
    list += '\0';
  }
  make_directories(scratch_dir);
  std::filesystem::path list_file = scratch_dir / "compile-list";
  write_file_atomic(list_file, list, false);
  ProcessResult result = run_process({env.python, "-I", "-c", std::string(kScript), list_file.string()}, kCompileTimeoutSeconds);
  if (!result.ok())
    throw InstallError("cannot byte-compile the installed files with " + env.python + ": " +
                       result.failure(kCompileTimeoutSeconds) + " (install without --compile)");
}

}  // namespace thoth::install_detail
