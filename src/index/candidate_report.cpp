// The library side of `thoth debug candidates NAME`: what the sources offer, as a target sees it.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/prettywriter.h>

#include <algorithm>

#include "thoth/index.hpp"
#include "thoth/net.hpp"

namespace thoth {

std::vector<CandidateReport> report_candidates(const std::vector<Candidate>& candidates, const Target& target,
                                               const BinaryPolicy& policy) {
  std::vector<CandidateReport> out;
  out.reserve(candidates.size());
  for (const auto& c : candidates) {
    CandidateReport r;
    r.version = c.version;
    r.yanked = c.yanked();
    r.file_count = c.files.size();
    for (const auto& f : c.files) {
      if (f.yanked && !f.yanked->empty() && r.yank_reason.empty()) r.yank_reason = *f.yanked;
      if (!f.requires_python.empty() &&
          std::find(r.requires_python.begin(), r.requires_python.end(), f.requires_python) == r.requires_python.end()) {
        r.requires_python.push_back(f.requires_python);
      }
    }
    r.usable = usable_files(c, target, policy);
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) s += sep;
    s += items[i];
  }
  return s;
}

std::string text_report(std::string_view name, const std::vector<CandidateReport>& report) {
  std::string out;
  if (report.empty()) return std::string(name) + ": no versions found\n";
  for (const auto& r : report) {
    out += std::string(name) + " " + r.version.str();
    if (r.yanked) out += r.yank_reason.empty() ? "  [yanked]" : "  [yanked: " + r.yank_reason + "]";
    if (!r.requires_python.empty()) out += "  requires-python " + join(r.requires_python, " | ");
    out += "\n";
    if (r.usable.empty()) {
      out += "    no usable file (" + std::to_string(r.file_count) + " listed)\n";
      continue;
    }
    for (const DistFile* f : r.usable) {
      out += "    " + f->filename;
      std::string sha = f->sha256();
      if (!sha.empty()) out += "  sha256=" + sha;
      if (f->core_metadata) out += "  [metadata]";
      if (f->yanked) out += "  [yanked]";
      out += "\n";
    }
  }
  return out;
}

std::string json_report(std::string_view name, const std::vector<CandidateReport>& report) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  auto str = [&](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  w.StartObject();
  w.Key("name");
  str(name);
  w.Key("versions");
  w.StartArray();
  for (const auto& r : report) {
    w.StartObject();
    w.Key("version");
    str(r.version.str());
    w.Key("yanked");
    w.Bool(r.yanked);
    if (r.yanked) {
      w.Key("yank_reason");
      str(r.yank_reason);
    }
    w.Key("requires_python");
    w.StartArray();
    for (const auto& rp : r.requires_python) str(rp);
    w.EndArray();
    w.Key("files");
    w.Uint64(r.file_count);
    w.Key("usable");
    w.StartArray();
    for (const DistFile* f : r.usable) {
      w.StartObject();
      w.Key("filename");
      str(f->filename);
      w.Key("url");
      str(redact_url(f->url));
      w.Key("sha256");
      str(f->sha256());
      w.Key("requires_python");
      str(f->requires_python);
      w.Key("yanked");
      w.Bool(f->yanked.has_value());
      w.Key("core_metadata");
      w.Bool(f->core_metadata.has_value());
      if (f->upload_time) {
        w.Key("upload_time");
        str(*f->upload_time);
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace

std::string format_candidate_report(std::string_view name, const std::vector<CandidateReport>& report, bool json) {
  return json ? json_report(name, report) : text_report(name, report);
}

}  // namespace thoth
