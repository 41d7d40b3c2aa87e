#include "session/requirements_input.hpp"

#include <cctype>
#include <filesystem>

namespace thoth::session_detail {

namespace {

// Whether a positional argument names a requirements file: pip-compile and `uv pip compile` take their
// source files positionally. An existing file ending in .in or .txt is one (so `thoth lock
// requirements.in` works as `-r requirements.in`); anything else stays a requirement ("requests",
// "./dist/x.whl"). Project files are source files to them too, which thoth cannot read yet.
bool is_source_file(const std::string& arg) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(arg, ec)) return false;
  std::string name = std::filesystem::path(arg).filename().string();
  if (name == "pyproject.toml" || name == "setup.py" || name == "setup.cfg") {
    throw SessionError(arg + ": reading dependencies from " + name +
                       " is not supported yet; list them in a requirements.in and lock that");
  }
  auto ends_with = [&](std::string_view ext) { return name.size() > ext.size() && name.ends_with(ext); };
  return ends_with(".in") || ends_with(".txt");
}

// A name that can only be meant as a file: it has a directory part, starts with '.' (pip's
// _looks_like_path), or ends as requirements files and distributions do. Such an argument that names
// no file is a typo, not a project to look up on the indexes, where a squatter may wait for it.
bool looks_like_path(std::string_view arg) {
  if (arg.find('/') != std::string_view::npos || arg.starts_with('.')) return true;
  for (std::string_view ext : {".txt", ".in", ".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2", ".tar.xz", ".toml"})
    if (arg.size() > ext.size() && arg.ends_with(ext)) return true;
  return false;
}

}  // namespace

bool is_requirements_url(const std::string& s) {
  std::string head = s.substr(0, 8);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0 || head.rfind("file://", 0) == 0;
}

std::string fetch_requirements_file(HttpClient& client, const std::string& url) {
  HttpRequest request(url);
  // A requirements file changes under the same URL: always asked again, the cache only for --offline.
  request.cache = CachePolicy::revalidate;
  request.max_body = kMaxInputBytes;  // as for a local requirements file
  try {
    return client.get(std::move(request)).body;
  } catch (const NetError& e) {
    if (e.kind() == NetError::Kind::too_large)
      throw InputError("requirements file " + redact_url(url) + " is larger than " + input_limit_text(kMaxInputBytes) +
                       " (the most thoth reads from one input file)");
    if (!e.not_found()) throw;
    throw InputError("cannot open requirements file " + redact_url(url) + ": not found (HTTP " +
                     std::to_string(e.status()) + ")");
  }
}

RequirementSet read_requirement_inputs(const RequirementInputs& inputs,
                                       const std::function<std::string(const std::string&)>& read,
                                       const Environment& env) {
  RequirementsParser parser(read, [&env](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
  // pip's _handle_config_settings: KEY=VALUE, split at the first '='.
  for (const std::string& item : inputs.config_settings)
    if (item.find('=') == std::string::npos)
      throw SessionError("--config-settings needs KEY=VALUE, got \"" + item + "\"");
  RequirementSet set;
  for (const std::string& f : inputs.requirement_files) parser.parse_file(f, false, set);
  for (const std::string& f : inputs.constraint_files) parser.parse_file(f, true, set);
  std::filesystem::path cwd = std::filesystem::current_path();
  bool named_here = false;  // a requirement of the command line (which its -C reaches)
  for (const std::string& text : inputs.requirements) {
    if (is_source_file(text)) {
      parser.parse_file(text, false, set);
      continue;
    }
    std::error_code ec;
    if (text.find("://") == std::string::npos && text.find('@') == std::string::npos && looks_like_path(text) &&
        !std::filesystem::exists(text, ec)) {
      throw SessionError("'" + text + "' looks like a file name, but there is no such file (check the name, or " +
                         "give a project name)");
    }
    UserRequirement r = RequirementsParser::parse_argument(text, cwd);
    r.origin = "";  // the command line: pip-compile names no source for it
    r.config_settings = inputs.config_settings;
    set.requirements.push_back(std::move(r));
    named_here = true;
  }
  for (const std::string& dir : inputs.editables) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
      throw SessionError("-e " + dir + ": an editable install needs a local project directory (pip's VCS editables "
                         "are not supported)");
    UserRequirement r = RequirementsParser::parse_argument(std::filesystem::absolute(dir).lexically_normal().string(), cwd);
    r.origin = "";
    r.editable = true;
    r.config_settings = inputs.config_settings;
    set.requirements.push_back(std::move(r));
    named_here = true;
  }
  if (!inputs.config_settings.empty() && !named_here)
    set.warnings.push_back("--config-settings on the command line applies to the requirements named there (as in "
                           "pip), and none is: for a requirements file's requirement, write -C KEY=VALUE after it "
                           "on its line");
  return set;
}

}  // namespace thoth::session_detail
