#include "cli/compile_command.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

#include "thoth/net.hpp"  // redact_url, redact_text

namespace thoth::cli {

namespace {

// Python's shlex.quote: safe words as they are, anything else in single quotes.
std::string shell_quote(const std::string& s) {
  if (s.empty()) return "''";
  bool safe = std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("@%+=:,./-_").find(c) != std::string_view::npos;
  });
  if (safe) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\"'\"'") : std::string(1, c);
  return out + "'";
}

// Options that do not change the lock's content, or apply to one run only: pip-compile leaves its
// equivalents (COMPILE_EXCLUDE_OPTIONS: --verbose, --quiet, --cache-dir, --upgrade, --upgrade-package,
// --dry-run, ...) out of the header too. How this machine reaches the network (--proxy, which may carry
// a password, and the TLS files) is not part of the lock either.
bool recorded(const std::string& long_name) {
  static const std::set<std::string> kSkipped = {"--cache-dir", "--no-cache",        "--offline", "--timeout",
                                                 "--retries",   "--help",            "--resolve-timeout",
                                                 "--upgrade",   "--upgrade-package", "--dry-run",
                                                 "--proxy",     "--cert",            "--client-cert",
                                                 "--justify",   "--max-candidates",  "--no-memo"};
  return kSkipped.count(long_name) == 0;
}

}  // namespace

std::string compile_command(const CLI::App& cmd) {
  std::vector<std::string> left, right;
  for (const CLI::Option* opt : cmd.get_options()) {
    if (opt->count() == 0) continue;
    if (opt->get_positional()) {
      // A requirement may carry a URL with a password ("name @ https://user:pw@host/x.whl").
      for (const std::string& v : opt->results()) right.push_back(shell_quote(redact_text(v)));
      continue;
    }
    const std::vector<std::string>& lnames = opt->get_lnames();
    std::string name = lnames.empty() ? "-" + opt->get_snames().back() : "--" + lnames.back();
    if (!recorded(name)) continue;
    if (opt->get_expected_min() == 0) {
      // A negatable flag (--emit-index-url / --no-emit-index-url) as its last occurrence says; the
      // positive form is the default, which pip-compile does not record.
      if (!opt->get_fnames().empty()) {
        if (opt->results().back() == "false") left.push_back("--" + opt->get_fnames().back());
        continue;
      }
      left.push_back(name);
      continue;
    }
    for (const std::string& v : opt->results()) {
      std::string value = v.find("://") != std::string::npos ? redact_url(v) : v;
      left.push_back(name + "=" + shell_quote(value));
    }
  }
  std::sort(left.begin(), left.end());
  std::string out = "thoth " + cmd.get_name();
  for (const auto& a : left) out += " " + a;
  // pip-compile's "--" before source files that look like options.
  if (std::any_of(right.begin(), right.end(), [](const std::string& r) { return r.size() > 1 && r[0] == '-'; }))
    out += " --";
  for (const auto& a : right) out += " " + a;
  return out;
}

}  // namespace thoth::cli
