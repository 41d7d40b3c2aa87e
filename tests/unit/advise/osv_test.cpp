// OSV import: every range form by the schema's evaluation, CVSS v3 scores, records with hand-written
// content, malformed ones skipped and named, files, directories and zip archives.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include "advise/osv.hpp"
#include "advise_testing.hpp"

namespace thoth::testing {
namespace {

using advisor::OsvEvent;
using Type = OsvEvent::Type;

std::string specifiers(const std::vector<OsvEvent>& events) {
  std::string out;
  for (const SpecifierSet& s : advisor::ecosystem_range_specifiers(events)) out += (out.empty() ? "" : " | ") + ("[" + s.str() + "]");
  return out;
}

TEST(OsvRanges, EveryForm) {
  // Introduced from the start, fixed.
  EXPECT_EQ(specifiers({{Type::Introduced, "0"}, {Type::Fixed, "1.2.3"}}), "[<1.2.3]");
  // Introduced at a version, fixed.
  EXPECT_EQ(specifiers({{Type::Introduced, "1.0"}, {Type::Fixed, "1.2.3"}}), "[<1.2.3,>=1.0]");
  // Never fixed: everything from the start (the empty set), or from a version on.
  EXPECT_EQ(specifiers({{Type::Introduced, "0"}}), "[]");
  EXPECT_EQ(specifiers({{Type::Introduced, "2.0"}}), "[>=2.0]");
  // last_affected is included.
  EXPECT_EQ(specifiers({{Type::Introduced, "0"}, {Type::LastAffected, "2.1.214"}}), "[<=2.1.214]");
  EXPECT_EQ(specifiers({{Type::Introduced, "1.5"}, {Type::LastAffected, "1.5"}}), "[<=1.5,>=1.5]");
  // Several intervals in one range, in any order.
  EXPECT_EQ(specifiers({{Type::Introduced, "3.0.0"}, {Type::Fixed, "3.2.5"}, {Type::Introduced, "1.0.0"}, {Type::Fixed, "1.0.2"}}),
            "[<1.0.2,>=1.0.0] | [<3.2.5,>=3.0.0]");
  // A second introduced inside an open interval does not start another; a fixed outside one is moot.
  EXPECT_EQ(specifiers({{Type::Introduced, "1.0"}, {Type::Introduced, "1.5"}, {Type::Fixed, "2.0"}, {Type::Fixed, "3.0"}}),
            "[<2.0,>=1.0]");
  // An empty interval (fixed where introduced) affects nothing.
  EXPECT_EQ(specifiers({{Type::Introduced, "1.0"}, {Type::Fixed, "1.0"}}), "");
  // Limits cap every interval (the largest one counts; "*" is infinity).
  EXPECT_EQ(specifiers({{Type::Introduced, "0"}, {Type::Limit, "2.0"}}), "[<2.0]");
  EXPECT_EQ(specifiers({{Type::Introduced, "1.0"}, {Type::Limit, "1.5"}, {Type::Limit, "2.0"}, {Type::Fixed, "3.0"}}),
            "[<2.0,<3.0,>=1.0]");
  EXPECT_EQ(specifiers({{Type::Introduced, "3.0"}, {Type::Limit, "2.0"}}), "");
  EXPECT_EQ(specifiers({{Type::Introduced, "1.0"}, {Type::Limit, "*"}, {Type::Limit, "2.0"}}), "[>=1.0]");
  // PEP 440 spellings are normalised; a bound that is no version is an error.
  EXPECT_EQ(specifiers({{Type::Introduced, "v1.0-RC1"}, {Type::Fixed, "1.0"}}), "[<1.0,>=1.0rc1]");
  EXPECT_THROW(specifiers({{Type::Introduced, "0"}, {Type::Fixed, "abc123def"}}), VersionError);
}

TEST(OsvRanges, AgreeWithTheSchemasEvaluation) {
  // IsVulnerable of the OSV schema, literally, against the specifiers, on a grid of versions.
  auto is_vulnerable = [](const std::vector<OsvEvent>& events, const Version& v) {
    bool before_limits = true;
    bool has_limit = false;
    for (const OsvEvent& e : events) {
      if (e.type != Type::Limit) continue;
      if (!has_limit) before_limits = false;
      has_limit = true;
      if (e.version == "*" || v < Version::parse(e.version)) before_limits = true;
    }
    if (!before_limits) return false;
    std::vector<OsvEvent> sorted = events;
    auto key = [](const OsvEvent& e) { return e.version == "0" ? Version::parse("0.0.0.dev0") : Version::parse(e.version == "*" ? "9999" : e.version); };
    std::stable_sort(sorted.begin(), sorted.end(), [&](const OsvEvent& a, const OsvEvent& b) { return key(a) < key(b); });
    bool vulnerable = false;
    for (const OsvEvent& e : sorted) {
      if (e.type == Type::Introduced && (e.version == "0" || v >= Version::parse(e.version))) vulnerable = true;
      else if (e.type == Type::Fixed && v >= Version::parse(e.version)) vulnerable = false;
      else if (e.type == Type::LastAffected && v > Version::parse(e.version)) vulnerable = false;
    }
    return vulnerable;
  };
  const std::vector<std::vector<OsvEvent>> ranges = {
      {{Type::Introduced, "0"}, {Type::Fixed, "1.2"}},
      {{Type::Introduced, "1.0"}, {Type::LastAffected, "1.3"}, {Type::Introduced, "2.0"}, {Type::Fixed, "2.2"}},
      {{Type::Fixed, "2.1"}, {Type::Introduced, "1.1"}, {Type::Introduced, "2.0"}},
      {{Type::Introduced, "0"}, {Type::Limit, "1.3"}},
      {{Type::Introduced, "1.2"}, {Type::Fixed, "2.0"}, {Type::Limit, "1.4"}},
  };
  for (std::size_t r = 0; r < ranges.size(); ++r) {
    std::vector<SpecifierSet> sets = advisor::ecosystem_range_specifiers(ranges[r]);
    for (int major = 0; major < 4; ++major) {
      for (int minor = 0; minor < 5; ++minor) {
        // Final releases and post releases (pre-releases of a fixed version are taken as fixed).
        for (const std::string suffix : {"", ".post1"}) {
          Version v = Version::parse(std::to_string(major) + "." + std::to_string(minor) + suffix);
          bool covered = std::any_of(sets.begin(), sets.end(), [&](const SpecifierSet& s) { return s.contains(v, true); });
          EXPECT_EQ(covered, is_vulnerable(ranges[r], v)) << "range " << r << " version " << v.str();
        }
      }
    }
  }
}

TEST(Cvss, BaseScores) {
  // Scores of the CVSS v3.1 specification's examples and of NVD's calculator.
  EXPECT_EQ(advisor::cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
  EXPECT_EQ(advisor::cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
  EXPECT_EQ(advisor::cvss3_base_score("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), 7.8);
  EXPECT_EQ(advisor::cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
  EXPECT_EQ(advisor::cvss3_base_score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
  EXPECT_EQ(advisor::cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N"), 4.3);
  EXPECT_FALSE(advisor::cvss3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"));
  EXPECT_FALSE(advisor::cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"));
  EXPECT_FALSE(advisor::cvss3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
  EXPECT_FALSE(advisor::cvss3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P"));
}

const char* kRecord = R"({
  "schema_version": "1.4.0",
  "id": "PYSEC-2021-1",
  "aliases": ["CVE-2021-1", "GHSA-aaaa-bbbb-cccc"],
  "summary": "Overflow in Foo",
  "details": "Long text\nmore",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
  "affected": [
    {"package": {"ecosystem": "PyPI", "name": "Foo_Bar"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}, {"introduced": "2.0"}, {"fixed": "2.1"}]},
                {"type": "GIT", "repo": "https://x.test/r", "events": [{"introduced": "abc"}, {"fixed": "def"}]}],
     "versions": ["1.0", "1.1", "2.0", "3.0", "not a version"]},
    {"package": {"ecosystem": "npm", "name": "foo"}, "versions": ["1.0"]},
    {"package": {"ecosystem": "PyPI", "name": "baz"},
     "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N"}],
     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
     "versions": ["0.9"]}
  ],
  "references": [{"type": "ADVISORY", "url": "https://x.test/a"}, {"type": "FIX", "url": "https://x.test/f"}]
})";

TEST(OsvImport, RecordToFacts) {
  OsvImport out;
  import_osv_record(kRecord, "rec.json", out);
  EXPECT_EQ(out.files, 1u);
  EXPECT_EQ(out.records, 1u);
  EXPECT_EQ(out.imported, 1u);
  EXPECT_EQ(out.malformed, 0u);
  EXPECT_EQ(out.other_ecosystems, 1u);
  EXPECT_EQ(out.ignored_ranges, 2u);  // GIT and SEMVER
  EXPECT_EQ(out.skipped_versions, 1u);
  EXPECT_TRUE(out.problems.empty());
  // Two intervals, 3.0 listed beyond them, baz's listed version.
  ASSERT_EQ(out.facts.size(), 4u);
  std::vector<std::string> got;
  for (const Fact& f : out.facts) got.push_back(f.name + " " + f.versions.str());
  EXPECT_EQ(got, (std::vector<std::string>{"foo-bar <1.2", "foo-bar <2.1,>=2.0", "foo-bar ==3.0", "baz ==0.9"}));
  const Fact& f = out.facts[0];
  EXPECT_EQ(f.package, "Foo_Bar");
  EXPECT_EQ(f.kind, FactKind::Security);
  EXPECT_FALSE(f.veto);
  EXPECT_DOUBLE_EQ(f.score, -0.98);
  EXPECT_EQ(f.message, "Overflow in Foo");
  EXPECT_EQ(f.ids, (std::vector<std::string>{"PYSEC-2021-1", "CVE-2021-1", "GHSA-aaaa-bbbb-cccc"}));
  EXPECT_EQ(f.links, (std::vector<std::string>{"https://x.test/a", "https://x.test/f"}));
  EXPECT_DOUBLE_EQ(out.facts[3].score, -0.43);  // the affected entry's own severity wins
  // The facts make a valid KB.
  KnowledgeBase kb = parse_knowledge_base(knowledge_base_json(out.facts), "osv.json");
  EXPECT_EQ(kb.facts_for("foo-bar").size(), 3u);
}

TEST(OsvImport, EveryRangeFormInARecord) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {R"([{"introduced": "0"}, {"fixed": "1.2.3"}])", {"<1.2.3"}},
      {R"([{"introduced": "1.0"}, {"fixed": "1.2.3"}])", {"<1.2.3,>=1.0"}},
      {R"([{"introduced": "0"}])", {""}},
      {R"([{"introduced": "2.0"}])", {">=2.0"}},
      {R"([{"introduced": "0"}, {"last_affected": "2.1.214"}])", {"<=2.1.214"}},
      {R"([{"introduced": "3.0"}, {"fixed": "3.2.5"}, {"introduced": "1.0"}, {"fixed": "1.0.2"}])",
       {"<1.0.2,>=1.0", "<3.2.5,>=3.0"}},
      {R"([{"introduced": "0"}, {"limit": "2.0"}])", {"<2.0"}},
      {R"([{"introduced": "1.0"}, {"fixed": "3.0"}, {"limit": "2.0"}])", {"<2.0,<3.0,>=1.0"}},
      {R"([{"introduced": "1.0"}, {"fixed": "1.0"}])", {}},
  };
  for (const auto& [events, expected] : cases) {
    OsvImport out;
    import_osv_record(R"({"id": "R", "affected": [{"package": {"ecosystem": "PyPI", "name": "a"},
                          "ranges": [{"type": "ECOSYSTEM", "events": )" + events + "}]}]}",
                      "r.json", out);
    EXPECT_EQ(out.malformed, 0u) << events;
    std::vector<std::string> got;
    for (const Fact& f : out.facts) got.push_back(f.versions.str());
    EXPECT_EQ(got, expected) << events;
  }
}

TEST(OsvImport, SeverityAndMessageFallbacks) {
  auto one = [](const std::string& extra) {
    OsvImport out;
    import_osv_record(R"({"id": "X-1", )" + extra +
                          R"("affected": [{"package": {"ecosystem": "PyPI", "name": "a"}, "versions": ["1.0"]}]})",
                      "r.json", out);
    EXPECT_EQ(out.facts.size(), 1u) << extra;
    return out.facts.empty() ? Fact{} : out.facts[0];
  };
  EXPECT_DOUBLE_EQ(one(R"("database_specific": {"severity": "HIGH"}, )").score, -0.8);
  EXPECT_DOUBLE_EQ(one(R"("database_specific": {"severity": "LOW"}, )").score, -0.2);
  EXPECT_DOUBLE_EQ(one(R"("database_specific": {"severity": "MODERATE"}, )").score, -0.5);
  EXPECT_DOUBLE_EQ(one(R"("database_specific": {"severity": "CRITICAL"}, )").score, -0.95);
  EXPECT_DOUBLE_EQ(one(R"("severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N"}], )").score, -0.5);
  EXPECT_DOUBLE_EQ(one("").score, -0.5);
  EXPECT_EQ(one(R"("details": "\n  First line\nsecond", )").message, "First line");
  EXPECT_EQ(one(R"("summary": "", "details": "d", )").message, "d");
  EXPECT_EQ(one(R"("details": ")" + std::string(300, 'x') + R"(", )").message, std::string(200, 'x') + "...");
  EXPECT_EQ(one("").ids, std::vector<std::string>{"X-1"});
}

TEST(OsvImport, MalformedRecordsAreNamedAndSkipped) {
  OsvImport out;
  auto add = [&](const std::string& text) { import_osv_record(text, "bad.json", out); };
  add("not json");
  add("[]");
  add(R"({"affected": []})");
  add(R"({"id": 7})");
  add(R"({"id": "X", "affected": {}})");
  add(R"({"id": "X", "affected": [{"package": {"ecosystem": "PyPI"}}]})");
  add(R"({"id": "X", "affected": [{"package": {"ecosystem": "PyPI", "name": "a"}, "ranges": [{"events": []}]}]})");
  add(R"({"id": "X", "affected": [{"package": {"ecosystem": "PyPI", "name": "a"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1"}]}]}]})");
  add(R"({"id": "X", "affected": [{"package": {"ecosystem": "PyPI", "name": "a"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": 1}]}]}]})");
  add(R"({"id": "X", "affected": [{"package": {"ecosystem": "PyPI", "name": "a b"}}]})");
  add(R"({"id": "X", "aliases": [1]})");
  EXPECT_EQ(out.files, 11u);
  EXPECT_EQ(out.malformed, 11u);
  EXPECT_EQ(out.records, 0u);
  EXPECT_TRUE(out.facts.empty());
  ASSERT_EQ(out.problems.size(), 11u);
  EXPECT_EQ(out.problems[0].rfind("bad.json: not an OSV record: invalid JSON at offset", 0), 0u);
  EXPECT_EQ(out.problems[1], "bad.json: not an OSV record: the record is not an object");
  EXPECT_EQ(out.problems[2], "bad.json: not an OSV record: id is missing");
  EXPECT_EQ(out.problems[3], "bad.json: not an OSV record: id is not a string");
  EXPECT_EQ(out.problems[4], "bad.json: not an OSV record: affected is not an array");
  EXPECT_EQ(out.problems[5], "bad.json: not an OSV record: affected[0].package needs an ecosystem and a name");
  EXPECT_EQ(out.problems[6], "bad.json: not an OSV record: affected[0].ranges[0].type is missing");
  EXPECT_EQ(out.problems[7],
            "bad.json: not an OSV record: affected[0].ranges[0].events[] must hold exactly one of introduced, fixed, "
            "last_affected, limit");
  EXPECT_EQ(out.problems[8], "bad.json: not an OSV record: affected[0].ranges[0].events[].fixed is not a string");

  // A range whose bound is not PEP 440 is skipped alone, loudly; the rest of the record stays.
  OsvImport partial;
  import_osv_record(R"({"id": "Y", "affected": [{"package": {"ecosystem": "PyPI", "name": "a"},
      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0-final-x"}]},
                 {"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}]}]}]})",
                    "p.json", partial);
  EXPECT_EQ(partial.malformed, 0u);
  EXPECT_EQ(partial.skipped_versions, 1u);
  ASSERT_EQ(partial.facts.size(), 1u);
  EXPECT_EQ(partial.facts[0].versions.str(), ">=2.0");
  ASSERT_EQ(partial.problems.size(), 1u);
  EXPECT_EQ(partial.problems[0].rfind("p.json: affected[0].ranges[0] (a) skipped: ", 0), 0u) << partial.problems[0];
}

TEST(OsvImport, WithdrawnAndOtherEcosystems) {
  OsvImport out;
  import_osv_record(R"({"id": "W", "withdrawn": "2024-01-01T00:00:00Z",
      "affected": [{"package": {"ecosystem": "PyPI", "name": "a"}, "versions": ["1.0"]}]})", "w.json", out);
  import_osv_record(R"({"id": "G", "affected": [{"package": {"ecosystem": "Go", "name": "x"}, "versions": ["1.0"]}]})",
                    "g.json", out);
  EXPECT_EQ(out.records, 2u);
  EXPECT_EQ(out.withdrawn, 1u);
  EXPECT_EQ(out.other_ecosystems, 1u);
  EXPECT_EQ(out.imported, 0u);
  EXPECT_TRUE(out.facts.empty());
}

// A zip of these members, written with libarchive.
std::string zip_of(const std::vector<std::pair<std::string, std::string>>& members) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  std::vector<char> buf(1 << 20);
  size_t used = 0;
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& [name, data] : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

std::string record(const std::string& id, const std::string& package) {
  return R"({"id": ")" + id + R"(", "affected": [{"package": {"ecosystem": "PyPI", "name": ")" + package +
         R"("}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]})";
}

TEST(OsvImport, FilesDirectoriesAndZips) {
  TempDir dir;
  auto file = dir.write("one.json", record("A-1", "a"));
  dir.write("db/b/B-1.json", record("B-1", "b"));
  dir.write("db/a/C-1.json", record("C-1", "c"));
  dir.write("db/README.md", "not a record");
  dir.write("db/a/broken.json", "{");
  auto zip = dir.write("all.zip", zip_of({{"Z-2.json", record("Z-2", "z")}, {"notes.txt", "x"}, {"Z-1.json", record("Z-1", "y")}}));
  OsvImport out = import_osv({file, dir.path() / "db", zip});
  std::vector<std::string> ids;
  for (const Fact& f : out.facts) ids.push_back(f.ids.front() + ":" + f.name);
  // Paths in the order given, a directory's files in path order, a zip's members in archive order.
  EXPECT_EQ(ids, (std::vector<std::string>{"A-1:a", "C-1:c", "B-1:b", "Z-2:z", "Z-1:y"}));
  EXPECT_EQ(out.files, 6u);
  EXPECT_EQ(out.records, 5u);
  EXPECT_EQ(out.malformed, 1u);
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_NE(out.problems[0].find("broken.json: not an OSV record"), std::string::npos);
  EXPECT_NE(zip.string().find("all.zip"), std::string::npos);
  OsvImport zipped = import_osv({zip});
  EXPECT_EQ(zipped.facts.size(), 2u);

  EXPECT_THROW(import_osv({dir.path() / "missing"}), AdviseError);
  auto bad_zip = dir.write("bad.zip", "not a zip at all");
  EXPECT_THROW(import_osv({bad_zip}), AdviseError);
}

}  // namespace
}  // namespace thoth::testing
