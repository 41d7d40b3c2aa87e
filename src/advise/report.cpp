// The justification report: JSON for tools, a table for people.
#include <algorithm>
#include <cstdio>

#include "advise/kb_json.hpp"
#include "thoth/advise.hpp"

namespace thoth {
namespace {

using advisor::JsonWriter;

void key(JsonWriter& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void text(JsonWriter& w, std::string_view v) { w.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); }

void optional_version(JsonWriter& w, std::string_view k, const std::optional<Version>& v) {
  key(w, k);
  if (v) text(w, v->str());
  else w.Null();
}

void strings(JsonWriter& w, std::string_view k, const std::vector<std::string>& values) {
  key(w, k);
  w.StartArray();
  for (const std::string& v : values) text(w, v);
  w.EndArray();
}

void effects(JsonWriter& w, std::string_view k, const std::vector<Effect>& list) {
  key(w, k);
  w.StartArray();
  for (const Effect& e : list) {
    w.StartObject();
    key(w, "unit");
    text(w, e.unit);
    key(w, "weight");
    w.Double(e.score);
    key(w, "vetoes");
    w.Bool(e.veto);
    if (e.fact) {
      key(w, "fact");
      w.StartObject();
      advisor::write_fact_fields(w, *e.fact);
      key(w, "origin");
      text(w, e.fact->where());
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
}

void package(JsonWriter& w, const PackageJustification& p) {
  w.StartObject();
  key(w, "name");
  text(w, p.name);
  key(w, "version");
  text(w, p.version.str());
  optional_version(w, "newest", p.newest);
  optional_version(w, "locked", p.locked);
  key(w, "score");
  w.Double(p.score.total.score);
  key(w, "vetoes");
  w.Uint64(p.score.total.vetoes);
  effects(w, "facts", p.score.effects);
  optional_version(w, "avoided_in", p.avoided_in);
  effects(w, "avoided", p.avoided);
  w.EndObject();
}

// Up to four significant digits, with a sign: "+0.5", "-1.25", "0".
std::string number(double x) {
  if (x == 0) return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.4g", x);
  return buf;
}

std::string describe(const Effect& e) {
  std::string out = std::string(e.unit) + " " + number(e.score) + (e.veto ? " VETO" : "");
  if (!e.fact) return out;
  const Fact& f = *e.fact;
  out += " " + std::string(fact_kind_name(f.kind));
  std::string ids;
  for (const std::string& id : f.ids) ids += (ids.empty() ? " " : ", ") + id;
  out += ids;
  if (!f.message.empty()) out += ": " + f.message;
  return out + " [" + f.where() + "]";
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string table(const Justification& j) {
  const std::vector<std::string> head = {"package", "version", "newest", "locked", "score"};
  std::vector<std::vector<std::string>> rows;
  for (const PackageJustification& p : j.packages) {
    rows.push_back({p.display_name.empty() ? p.name : p.display_name, p.version.str(), p.newest ? p.newest->str() : "-",
                    p.locked ? p.locked->str() : "-", number(p.score.total.score)});
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    width[c] = head[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) out += (c ? "  " : "") + (c + 1 < cells.size() ? pad(cells[c], width[c]) : cells[c]);
    return out + "\n";
  };
  std::string out = line(head);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += line(rows[i]);
    const PackageJustification& p = j.packages[i];
    for (const Effect& e : p.score.effects) out += "    " + describe(e) + "\n";
    for (const Effect& e : p.avoided) out += "    avoided in " + p.avoided_in->str() + ": " + describe(e) + "\n";
  }
  return out;
}

}  // namespace

std::string justification_json(const Advice& advice) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  key(w, "recommendation");
  text(w, recommendation_name(advice.recommendation));
  key(w, "search");
  w.StartObject();
  key(w, "method");
  text(w, search_method_name(advice.options.method));
  key(w, "seed");
  w.Uint64(advice.options.seed);
  key(w, "iterations");
  w.Uint64(advice.options.iterations);
  key(w, "time_ms");
  w.Int64(advice.options.time.count());
  key(w, "count");
  w.Uint64(advice.options.count);
  w.EndObject();
  key(w, "stats");
  w.StartObject();
  const SearchStats& s = advice.stats;
  for (auto [name, value] : {std::pair<std::string_view, std::size_t>{"iterations", s.iterations},
                             {"resolutions", s.resolutions},
                             {"states", s.states},
                             {"infeasible", s.infeasible},
                             {"restarts", s.restarts}}) {
    key(w, name);
    w.Uint64(value);
  }
  key(w, "elapsed_ms");
  w.Int64(s.elapsed.count());
  key(w, "optimal");
  w.Bool(s.optimal);
  key(w, "sieved");
  w.Bool(advice.sieved);
  w.EndObject();
  strings(w, "warnings", advice.warnings);
  key(w, "stacks");
  w.StartArray();
  for (const AdvisedStack& stack : advice.stacks) {
    const Justification& j = stack.justification;
    w.StartObject();
    key(w, "score");
    w.Double(j.total.score);
    key(w, "vetoes");
    w.Uint64(j.total.vetoes);
    strings(w, "warnings", j.warnings);
    key(w, "packages");
    w.StartArray();
    for (const PackageJustification& p : j.packages) package(w, p);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string justification_table(const Advice& advice) {
  std::string out = "recommendation: " + std::string(recommendation_name(advice.recommendation)) + " (" +
                    std::string(search_method_name(advice.options.method)) + ", seed " +
                    std::to_string(advice.options.seed) + ")\n";
  for (std::size_t i = 0; i < advice.stacks.size(); ++i) {
    const Justification& j = advice.stacks[i].justification;
    out += "\nstack " + std::to_string(i + 1) + ": score " + number(j.total.score) + ", " +
           std::to_string(j.total.vetoes) + (j.total.vetoes == 1 ? " veto" : " vetoes") + "\n\n";
    out += table(j);
    if (!j.warnings.empty()) {
      out += "\nwarnings:\n";
      for (const std::string& warning : j.warnings) out += "  " + warning + "\n";
    }
  }
  const SearchStats& s = advice.stats;
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.3f s", static_cast<double>(s.elapsed.count()) / 1000.0);
  out += "\n" + std::to_string(s.iterations) + " iterations, " + std::to_string(s.resolutions) + " resolutions, " +
         std::to_string(s.states) + " states, " + std::to_string(s.infeasible) + " infeasible, " +
         std::to_string(s.restarts) + " restarts, " + elapsed + (s.optimal ? " (proven optimal)" : "") + "\n";
  return out;
}

}  // namespace thoth
