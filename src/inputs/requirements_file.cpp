// Requirements files as pip reads them (pip's "Requirements File Format" documentation):
//   1. split into lines (Python's str.splitlines); a line ending in '\' continues on the next one (not
//      after a comment line);
//   2. comments: '#' at the start or after whitespace, to the end of the line;
//   3. ${VAR} (upper-case letters, digits, '_') is replaced by the environment's value when it is set;
//   4. each line is "requirement [per-requirement options]" or "options": the requirement part runs up
//      to the first token starting with '-', the rest is split like a shell command line.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "inputs/line_options.hpp"
#include "inputs/text_encoding.hpp"
#include "thoth/inputs.hpp"
#include "base/py_lines.hpp"
#include "base/trim.hpp"
#include "thoth/net.hpp"  // redact_url, read_to_end, kMaxInputBytes

namespace thoth {
namespace {

namespace fs = std::filesystem;

struct Line {
  int number = 0;
  std::string text;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// pip's COMMENT_RE `(^|\s+)#.*$`: a '#' that starts the line or follows whitespace.
std::size_t comment_start(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) {
      while (i > 0 && is_space(line[i - 1])) --i;
      return i;
    }
  return std::string_view::npos;
}

bool is_comment_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  return i < line.size() && line[i] == '#';
}

// pip numbers the lines of content.splitlines(): a form feed, \x1c-\x1e, U+0085, U+2028 or U+2029 ends
// a line as \n does.
std::vector<Line> split_lines(std::string_view content) {
  std::vector<Line> lines;
  int number = 0;
  for (std::string_view raw : base::py_splitlines(content)) lines.push_back({++number, std::string(raw)});
  return lines;
}

// Joins continuation lines; the joined line keeps the number of its first line.
std::vector<Line> join_continuations(const std::vector<Line>& lines) {
  std::vector<Line> out;
  std::optional<Line> pending;
  for (const Line& line : lines) {
    bool continues = !line.text.empty() && line.text.back() == '\\' && !is_comment_line(line.text);
    if (continues) {
      std::string part = line.text.substr(0, line.text.size() - 1);
      if (pending) pending->text += part;
      else pending = Line{line.number, part};
      continue;
    }
    // A comment line ends a continuation; it contributes nothing once comments are stripped.
    std::string tail = is_comment_line(line.text) ? " " + line.text : line.text;
    if (pending) {
      pending->text += tail;
      out.push_back(std::move(*pending));
      pending.reset();
    } else {
      out.push_back(line);
    }
  }
  if (pending) out.push_back(std::move(*pending));
  return out;
}

std::string expand_variables(std::string text,
                             const std::function<std::optional<std::string>(std::string_view)>& environ) {
  std::size_t pos = 0;
  while ((pos = text.find("${", pos)) != std::string::npos) {
    std::size_t end = pos + 2;
    while (end < text.size() && (std::isupper(static_cast<unsigned char>(text[end])) ||
                                 std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '_'))
      ++end;
    if (end == pos + 2 || end >= text.size() || text[end] != '}') {
      pos += 2;
      continue;
    }
    std::optional<std::string> value = environ(std::string_view(text).substr(pos + 2, end - pos - 2));
    if (!value || value->empty()) {  // pip leaves unset (and empty) variables as written
      pos = end + 1;
      continue;
    }
    text.replace(pos, end + 1 - pos, *value);
    pos += value->size();
  }
  return text;
}

bool has_scheme(std::string_view s) {
  auto lower = [](std::string_view p, std::string_view prefix) {
    if (p.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(p[i])) != prefix[i]) return false;
    return true;
  };
  return lower(s, "http:") || lower(s, "https:") || lower(s, "file:");
}

std::string dirname_of(const std::string& path_or_url) {
  std::size_t slash = path_or_url.rfind('/');
  return slash == std::string::npos ? std::string() : path_or_url.substr(0, slash + 1);
}

// pip joins nested file names with the including file's directory (or URL).
std::string join_relative(const std::string& base_file, const std::string& name) {
  if (has_scheme(name) || (!name.empty() && name.front() == '/')) return name;
  if (has_scheme(base_file)) return dirname_of(base_file) + name;
  fs::path dir = fs::path(base_file).parent_path();
  return (dir / name).lexically_normal().string();
}

// pip's is_url: the text before the first ':' is a scheme pip knows (VCS schemes included), so
// "name @ https://..." is not a URL but a PEP 508 requirement.
bool is_url(std::string_view arg) {
  std::size_t colon = arg.find(':');
  if (colon == std::string_view::npos) return false;
  std::string scheme(arg.substr(0, colon));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "http" || scheme == "https" || scheme == "file" || scheme == "ftp") return true;
  for (std::string_view vcs : {"git", "hg", "svn", "bzr"})
    if (scheme == vcs || scheme.rfind(std::string(vcs) + "+", 0) == 0) return true;
  return false;
}

bool is_archive_name(std::string_view p) {
  for (std::string_view ext : {".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip"})
    if (p.size() > ext.size() && p.substr(p.size() - ext.size()) == ext) return true;
  return false;
}

// pip's parse_editable (pip/_internal/req/constructors.py): an editable is a local project directory, a
// file: URL or a VCS URL ("git+https://...", or "git:..." which pip reads as git+git:). Anything else,
// such as "-e foo", is refused: taken as a project name it would install whatever an index serves
// under that name.
bool is_valid_editable(std::string_view arg, const fs::path& base_dir) {
  std::string_view target = arg;
  if (!target.empty() && target.back() == ']') target = target.substr(0, target.rfind('['));
  std::error_code ec;
  if (!target.empty() && !has_scheme(target) && fs::is_directory(base_dir / target, ec)) return true;
  std::size_t colon = target.find(':');
  if (colon == std::string_view::npos) return false;
  std::string scheme(target.substr(0, colon));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "file") return true;
  for (std::string_view vcs : {"git", "hg", "svn", "bzr"})
    if (scheme == vcs || scheme.rfind(std::string(vcs) + "+", 0) == 0) return true;
  return false;
}

// The index and resolution options of an option line, added to `o` (a later -i replaces an earlier one).
void apply_option_line(const LineOptions& opts, const fs::path& base_dir, FileOptions& o) {
  if (opts.no_index) o.index.no_index = true;
  if (opts.index_url) o.index.index_url = opts.index_url;
  for (const auto& u : opts.extra_index_urls) o.index.extra_index_urls.push_back(u);
  for (const auto& f : opts.find_links) {
    // pip: a find-links path relative to the requirements file's directory, when it exists there.
    fs::path rel = base_dir / f;
    o.index.find_links.push_back(!has_scheme(f) && fs::exists(rel) ? rel.lexically_normal().string() : f);
  }
  for (const auto& h : opts.trusted_hosts) o.index.trusted_hosts.push_back(h);
  if (opts.pre) o.pre = true;
  if (opts.require_hashes) o.require_hashes = true;
  if (opts.prefer_binary) o.binary.prefer_binary = true;
  for (const auto& v : opts.no_binary) apply_binary_option(o.binary, v, /*no_binary=*/true);
  for (const auto& v : opts.only_binary) apply_binary_option(o.binary, v, /*no_binary=*/false);
}

}  // namespace

std::string format_line_error(std::string_view origin, int line, std::string_view message, std::string_view text,
                              std::size_t column) {
  // The line is echoed with URL passwords masked (issue 19, defect 2); the caret stays under the same
  // character by measuring the masked text before it.
  const std::string echoed = redact_text(text);
  const std::size_t caret = redact_text(text.substr(0, std::min(column, text.size()))).size();
  std::ostringstream out;
  out << origin;
  if (line > 0) out << ':' << line;  // a single line (parse_install_line) has no number
  out << ": " << message << "\n    " << echoed << "\n    "
      << std::string(std::min(caret, echoed.size()), ' ') << '^';
  return out.str();
}

std::string read_local_file(const std::string& path) {
  // An ifstream opens a directory and reads nothing from it: without this check `-r DIR` would be
  // an empty file.
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw InputError("requirements file " + path + " is a directory (name a file in it, e.g. " +
                     (fs::path(path) / "requirements.txt").string() + ")");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open requirements file " + path + ": no such file or not readable");
  std::string content;
  const int err = read_to_end(fd, content, kMaxInputBytes);
  ::close(fd);
  if (err == EFBIG)
    throw InputError("requirements file " + path + " is larger than " + input_limit_text(kMaxInputBytes) +
                     " (the most thoth reads from one input file)");
  if (err != 0) throw InputError("cannot read requirements file " + path + ": " + std::strerror(err));
  return content;
}

RequirementsParser::RequirementsParser(FileReader reader,
                                       std::function<std::optional<std::string>(std::string_view)> environ)
    : reader_(std::move(reader)), environ_(std::move(environ)) {}

UserRequirement RequirementsParser::parse_argument(std::string_view text, const fs::path& cwd) {
  UserRequirement req;
  std::string_view arg = base::trim(text);
  // pip's parse_req_from_line: a URL's marker follows "; " (a URL may contain ';'), a path's follows ';'.
  bool url = is_url(arg);
  std::size_t semi = url ? arg.find("; ") : arg.find(';');
  std::string_view link_part = base::trim(arg.substr(0, semi));
  std::string_view marker_part = semi == std::string_view::npos ? std::string_view() : base::trim(arg.substr(semi + 1));

  // A trailing "[extras]" on a path or URL applies to the project it contains.
  std::string_view extras_part;
  if (!link_part.empty() && link_part.back() == ']') {
    std::size_t open = link_part.rfind('[');
    if (open != std::string_view::npos) {
      extras_part = link_part.substr(open);
      link_part = link_part.substr(0, open);
    }
  }
  bool is_dir = false;
  if (!url) {
    std::error_code ec;
    is_dir = (link_part.find('/') != std::string_view::npos || link_part.substr(0, 1) == ".") &&
             fs::is_directory(cwd / link_part, ec);
  }
  // pip's _get_url_from_path: "name @ ...whl" is a PEP 508 URL requirement unless the part before '@'
  // looks like a path.
  auto looks_like_path = [](std::string_view p) { return p.find('/') != std::string_view::npos || p.substr(0, 1) == "."; };
  std::size_t at = link_part.find('@');
  bool pep508_url = !url && at != std::string_view::npos && !looks_like_path(link_part.substr(0, at));
  if (!url && !is_dir && (!is_archive_name(link_part) || pep508_url)) {
    req.requirement = Requirement::parse(arg);
    return req;
  }

  req.link = url ? std::string(link_part) : fs::absolute(cwd / link_part).lexically_normal().string();
  // "#egg=name" names the project of a bare link (pip's legacy spelling); otherwise the name comes from
  // the file name or the built metadata later.
  std::size_t egg = link_part.find("#egg=");
  std::string name = egg == std::string_view::npos ? std::string() : std::string(link_part.substr(egg + 5));
  name = name.substr(0, name.find('&'));
  if (!name.empty() && !is_valid_name(name))
    throw RequirementError("invalid #egg= name \"" + name + "\" in \"" + std::string(arg) + "\"");
  // Parse extras and marker with the PEP 508 grammar by giving them a placeholder name.
  std::string pep508 = (name.empty() ? std::string("placeholder") : name) + std::string(extras_part);
  if (!marker_part.empty()) pep508 += " ; " + std::string(marker_part);
  req.requirement = Requirement::parse(pep508);
  req.requirement.name = name;
  return req;
}

void RequirementsParser::parse_file(const std::string& path, bool constraint, RequirementSet& out) {
  parse_included(path, constraint, out, "", 0);
}

void RequirementsParser::parse_included(const std::string& path, bool constraint, RequirementSet& out,
                                        const std::string& from, int from_line) {
  // A file another one includes is named with the line that includes it: "a missing file" alone does
  // not say which -r line to fix.
  auto where = [&]() { return from.empty() ? std::string() : from + ":" + std::to_string(from_line) + ": "; };
  // How the file is named in "# via" lines and messages: a URL's password is never shown (pip's
  // redact_auth_from_url); `path` itself is still what is read and what nested paths are joined to.
  const std::string shown = redact_url(path);
  if (std::find(stack_.begin(), stack_.end(), path) != stack_.end())
    throw InputError(where() + shown + ": requirements files include each other in a cycle");
  // A chain of distinct files (generated, or URLs that name a new one each time) would otherwise recurse
  // without end; no real project nests more than a few levels.
  if (stack_.size() >= kMaxIncludeDepth)
    throw InputError(where() + shown + ": requirements files nest more than " + std::to_string(kMaxIncludeDepth) +
                     " levels deep through -r/-c");
  std::string content;
  try {
    content = decode_requirements_text(reader_(path), path, /*coding_line=*/!has_scheme(path));
  } catch (const InputError& e) {
    if (from.empty()) throw;
    throw InputError(where() + e.what());
  }
  stack_.push_back(path);

  fs::path base_dir = has_scheme(path) ? fs::current_path() : fs::absolute(path).parent_path();
  for (Line& line : join_continuations(split_lines(content))) {
    std::size_t hash = comment_start(line.text);
    if (hash != std::string::npos) line.text.resize(hash);
    std::string text(base::trim(line.text));
    if (text.empty()) continue;
    text = expand_variables(std::move(text), environ_);

    auto fail = [&](std::string_view message, std::size_t column) -> InputError {
      return InputError(format_line_error(shown, line.number, message, text, column));
    };

    LineOptions opts;
    std::string args;
    try {
      opts = parse_line_options(text, args);
    } catch (const LineOptionError& e) {
      throw fail(e.what(), e.column());
    }

    if (!args.empty() || opts.editable) {
      UserRequirement req;
      std::string_view arg = opts.editable ? std::string_view(*opts.editable) : std::string_view(args);
      const std::size_t arg_column = static_cast<std::size_t>(text.find(arg));
      if (opts.editable && !is_valid_editable(arg, base_dir))
        throw fail(std::string(arg) + " is not a valid editable requirement: give a path to a local project or a "
                   "VCS URL (git+, hg+, svn+ or bzr+), as pip requires",
                   arg_column);
      try {
        req = parse_argument(arg, base_dir);
      } catch (const RequirementError& e) {
        throw fail(e.what(), e.column().value_or(0) + arg_column);
      }
      // pip's check_invalid_constraint_type: a constraint names one project and says nothing else.
      if (constraint) {
        if (opts.editable) throw fail("editable requirements are not allowed as constraints", 0);
        if (!req.requirement.extras.empty())
          throw fail("constraints cannot have extras (constrain the project without them)", arg_column);
        if (req.requirement.name.empty())
          throw fail("unnamed requirements are not allowed as constraints (write NAME @ URL)", arg_column);
      }
      req.editable = opts.editable.has_value();
      req.hashes = opts.hashes;
      req.config_settings = opts.config_settings;
      // pip builds nothing for a constraint's sake: its settings would reach no build.
      if (constraint && !opts.config_settings.empty())
        out.warnings.push_back(shown + ":" + std::to_string(line.number) +
                               ": --config-settings on a constraint applies to nothing (as in pip); write it after "
                               "the requirement of a requirements file");
      req.origin = shown;
      req.line = line.number;
      (constraint ? out.constraints : out.requirements).push_back(std::move(req));
      continue;
    }

    // An option line: include files, or set index and resolution options.
    if (!opts.config_settings.empty())
      out.warnings.push_back(path + ":" + std::to_string(line.number) +
                             ": --config-settings without a requirement on its line applies to nothing");
    for (const std::string& nested : opts.requirement_files)
      parse_included(join_relative(path, nested), false, out, shown, line.number);
    for (const std::string& nested : opts.constraint_files)
      parse_included(join_relative(path, nested), true, out, shown, line.number);
    apply_option_line(opts, base_dir, out.options);
  }
  stack_.pop_back();
}

InstallLine parse_install_line(std::string_view line, const fs::path& cwd, std::string_view origin) {
  const std::string text(base::trim(line));
  auto fail = [&](std::string_view message, std::size_t column) {
    return InputError(format_line_error(origin, 0, message, text, column));
  };
  LineOptions opts;
  std::string args;
  try {
    opts = parse_line_options(text, args, /*requirement_with_index_options=*/true);
  } catch (const LineOptionError& e) {
    throw fail(e.what(), e.column());
  }
  if (!opts.requirement_files.empty() || !opts.constraint_files.empty())
    throw fail("-r and -c name files: they are not accepted here", 0);
  InstallLine out;
  if (!args.empty() || opts.editable) {
    const std::string_view arg = opts.editable ? std::string_view(*opts.editable) : std::string_view(args);
    const std::size_t arg_column = text.find(arg);
    UserRequirement req;
    try {
      req = RequirementsParser::parse_argument(arg, cwd);
    } catch (const RequirementError& e) {
      throw fail(e.what(), e.column().value_or(0) + arg_column);
    }
    req.editable = opts.editable.has_value();
    req.hashes = opts.hashes;
    req.config_settings = opts.config_settings;
    out.requirement = std::move(req);
  }
  // Unlike a requirements file (where pip ignores them beside a requirement), the line's index
  // options are kept: they say where its requirement comes from.
  apply_option_line(opts, cwd, out.options);
  return out;
}

}  // namespace thoth
