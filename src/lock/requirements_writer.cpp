// requirements.txt in pip-compile's layout (pip-tools 7 writer.py: header, options, pins, "split" or
// "line" annotations, the unsafe section), so that a project can switch between the two tools without
// a diff beyond the header's tool name.
#include <algorithm>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "lock/roots.hpp"
#include "lock/urls.hpp"
#include "thoth/lock.hpp"

namespace thoth {

namespace {

using lock_detail::RootInfo;

constexpr std::string_view kDefaultIndex = "https://pypi.org/simple";

// pip-compile's warnings, word for word: tools and people grep for them.
constexpr std::string_view kUnhashedWarning =
    "# WARNING: pip install will require the following package to be hashed.\n"
    "# Consider using a hashable URL like https://github.com/jazzband/pip-tools/archive/SOMECOMMIT.zip";
constexpr std::string_view kUnsafeHeading = "# The following packages are considered to be unsafe in a requirements file:";
constexpr std::string_view kUnsafeUnpinnedWarning =
    "# WARNING: The following packages were not pinned, but pip requires them to be\n"
    "# pinned when the requirements file includes hashes and the requirement is not\n"
    "# satisfied by a package already installed. Consider using the --allow-unsafe flag.";

std::string python_major_minor(const Target& target) {
  std::span<const std::uint64_t> rel = target.python_version.release();
  std::string out = std::to_string(rel.empty() ? 3 : rel[0]);
  if (rel.size() > 1) out += "." + std::to_string(rel[1]);
  return out;
}

// Keeps the first occurrence of each value, in order (pip-tools' dedup).
std::vector<std::string> dedup(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values)
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return out;
}

std::vector<std::string> option_lines(const LockContext& ctx) {
  std::vector<std::string> lines;
  if (!ctx.index.no_index && ctx.emit_index_url) {
    std::vector<std::string> urls{ctx.index.index_url};
    urls.insert(urls.end(), ctx.index.extra_index_urls.begin(), ctx.index.extra_index_urls.end());
    urls = dedup(urls);
    for (std::size_t i = 0; i < urls.size(); ++i) {
      std::string_view u = urls[i];
      while (!u.empty() && u.back() == '/') u.remove_suffix(1);
      // The default index needs no line; an extra index always does.
      if (i == 0 && u == kDefaultIndex) continue;
      // Never a password in a lock, which is committed and shared (pip-compile writes it; uv does
      // not): pip finds the credentials in netrc, keyring or PIP_INDEX_URL when it installs.
      lines.push_back((i == 0 ? "--index-url " : "--extra-index-url ") + lock_detail::strip_credentials(urls[i]));
    }
  }
  for (const std::string& f : dedup(ctx.index.find_links))
    lines.push_back("--find-links " + lock_detail::strip_credentials(f));
  for (const std::string& h : dedup(ctx.index.trusted_hosts)) lines.push_back("--trusted-host " + h);
  // :all: first, then names: pip applies these options in order, later ones refining earlier ones.
  if (ctx.binary.no_binary_all) lines.push_back("--no-binary :all:");
  if (ctx.binary.only_binary_all) lines.push_back("--only-binary :all:");
  std::set<std::string> no_binary(ctx.binary.no_binary.begin(), ctx.binary.no_binary.end());
  std::set<std::string> only_binary(ctx.binary.only_binary.begin(), ctx.binary.only_binary.end());
  for (const std::string& n : no_binary) lines.push_back("--no-binary " + n);
  for (const std::string& n : only_binary) lines.push_back("--only-binary " + n);
  return lines;
}

// "sha256:<hex>" of every file of the pinned version, sorted and unique. Empty for a pin without files.
std::vector<std::string> pin_hashes(const Pin& pin, const LockContext& ctx) {
  auto it = ctx.release_files.find(pin.name);
  const std::vector<DistFile>& files = it != ctx.release_files.end() && pin.direct_url.empty() ? it->second : pin.files;
  std::set<std::string> hashes;
  for (const DistFile& f : files) {
    std::string sha = f.sha256();
    if (sha.empty()) {
      if (!pin.direct_url.empty()) continue;  // reported as an unhashed package, as pip-compile does
      throw LockError("cannot write --hash lines for " + pin.name + " " + pin.version.str() +
                      ": the index gives no sha256 for " + f.filename);
    }
    hashes.insert("sha256:" + sha);
  }
  return {hashes.begin(), hashes.end()};
}

struct Entry {
  const Pin* pin;
  bool editable = false;
};

class Writer {
 public:
  Writer(const Resolution& resolution, const LockContext& ctx)
      : resolution_(resolution), ctx_(ctx), roots_(lock_detail::root_info(ctx.requirements, resolution.target.markers)) {
    for (const UserRequirement& c : ctx.constraints) {
      if (c.requirement.name.empty() || c.origin.empty()) continue;
      if (!lock_detail::applies(c.requirement, resolution.target.markers)) continue;  // ignored, as by the resolver
      constraint_labels_[c.requirement.normalized_name()].insert("-c " + c.origin);
    }
  }

  std::string write() {
    std::vector<std::string> lines;
    if (ctx_.header) {
      lines.push_back("#");
      lines.push_back("# This file is autogenerated by thoth with Python " + python_major_minor(resolution_.target));
      lines.push_back("# by the following command:");
      lines.push_back("#");
      lines.push_back("#    " + ctx_.command);
      lines.push_back("#");
    }
    std::vector<std::string> options = option_lines(ctx_);
    if (!options.empty()) {
      lines.insert(lines.end(), options.begin(), options.end());
      lines.emplace_back();
    }

    std::vector<Entry> packages, unsafe;
    for (const Pin& pin : resolution_.pins) {
      Entry e{&pin, false};
      auto root = roots_.find(pin.name);
      if (root != roots_.end()) e.editable = root->second.editable;
      (lock_detail::is_unsafe_package(pin.name, ctx_.unsafe_packages) ? unsafe : packages).push_back(e);
    }
    // pip-compile's order: editables first, then by normalised name.
    auto order = [](const Entry& a, const Entry& b) {
      if (a.editable != b.editable) return a.editable;
      return a.pin->name < b.pin->name;
    };
    std::sort(packages.begin(), packages.end(), order);
    std::sort(unsafe.begin(), unsafe.end(), order);

    // Hashes switch pip into --require-hashes mode, so every other line must carry them too.
    std::vector<std::vector<std::string>> package_hashes;
    bool has_hashes = false;
    for (const Entry& e : packages) {
      package_hashes.push_back(ctx_.generate_hashes ? pin_hashes(*e.pin, ctx_) : std::vector<std::string>{});
      has_hashes = has_hashes || !package_hashes.back().empty();
    }
    for (std::size_t i = 0; i < packages.size(); ++i) {
      if (has_hashes && package_hashes[i].empty()) lines.emplace_back(kUnhashedWarning);
      lines.push_back(format(packages[i], package_hashes[i]));
    }

    if (!unsafe.empty()) {
      lines.emplace_back();
      if (ctx_.allow_unsafe) {
        lines.emplace_back(kUnsafeHeading);
        for (const Entry& e : unsafe)
          lines.push_back(format(e, ctx_.generate_hashes ? pin_hashes(*e.pin, ctx_) : std::vector<std::string>{}));
      } else {
        lines.emplace_back(has_hashes ? kUnsafeUnpinnedWarning : kUnsafeHeading);
        for (const Entry& e : unsafe) lines.push_back("# " + e.pin->name);
      }
    }

    std::string out;
    for (const std::string& line : lines) {
      out += line;
      out += '\n';
    }
    return out;
  }

 private:
  std::string requirement_text(const Entry& e) const {
    const Pin& pin = *e.pin;
    std::string extras;
    if (!pin.extras.empty() && !ctx_.strip_extras) {
      extras = "[";
      for (std::size_t i = 0; i < pin.extras.size(); ++i) extras += (i ? "," : "") + pin.extras[i];
      extras += "]";
    }
    auto root = roots_.find(pin.name);
    std::string direct = pin.direct_url;
    if (direct.empty() && root != roots_.end() && !root->second.link.empty())
      direct = lock_detail::link_url(root->second.link);
    std::string line;
    if (e.editable && !direct.empty()) {
      line = "-e " + direct;
    } else if (!direct.empty()) {
      line = pin.name + extras + " @ " + direct;
    } else {
      // pip-tools 7 prints the canonical (normalised) name and the version as the candidate gives it.
      line = pin.name + extras + "==" + pin.version.str();
    }
    if (root != roots_.end() && root->second.marker && !has_dependent(pin)) line += " ; " + root->second.marker->str();
    return line;
  }

  // Another pinned package needs this one on the target, so a root's marker does not say where it is
  // needed: the line must hold wherever its dependents are installed. pip-compile copies the root's
  // marker regardless; without one the lock never leaves out a package that a pinned one requires.
  bool has_dependent(const Pin& pin) const {
    return std::any_of(pin.via.begin(), pin.via.end(),
                       [&](const std::string& v) { return v != pin.name && resolution_.find(v) != nullptr; });
  }

  std::string format(const Entry& e, const std::vector<std::string>& hashes) const {
    std::string line = requirement_text(e);
    for (const std::string& h : hashes) line += " \\\n    --hash=" + h;

    // Sources this pin is required by, sorted as Python sorts strings (byte order of UTF-8).
    if (!ctx_.annotate) return line;
    std::set<std::string> via(e.pin->via.begin(), e.pin->via.end());
    if (auto it = constraint_labels_.find(e.pin->name); it != constraint_labels_.end())
      via.insert(it->second.begin(), it->second.end());
    via.erase("");
    if (via.empty()) return line;
    std::string annotation = "# via";
    if (ctx_.annotation_style == LockContext::AnnotationStyle::line) {
      // pip-tools' annotation_style_line: the sources comma-separated, after the requirement padded to
      // column 24 (f"{line:24}  # via ..."), or on the next line below --hash lines.
      std::string sep = " ";
      for (const std::string& v : via) {
        annotation += sep + v;
        sep = ", ";
      }
      if (!hashes.empty()) return line + "\n    " + annotation;
      if (line.size() < 24) line.resize(24, ' ');
      return line + "  " + annotation;
    }
    // annotation_style_split: one source on the line, several each on a line of their own.
    if (via.size() == 1) return line + "\n    " + annotation + " " + *via.begin();
    for (const std::string& v : via) annotation += "\n    #   " + v;
    return line + "\n    " + annotation;
  }

  const Resolution& resolution_;
  const LockContext& ctx_;
  std::map<std::string, RootInfo> roots_;
  std::map<std::string, std::set<std::string>> constraint_labels_;
};

}  // namespace

std::string write_requirements(const Resolution& resolution, const LockContext& context) {
  return Writer(resolution, context).write();
}

}  // namespace thoth
