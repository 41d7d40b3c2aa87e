// The installation report against pip 23's InstallationReport and its json.dump(indent=2,
// ensure_ascii=False) formatting.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace thoth {
namespace {

using namespace lock_test;

Resolution templar_resolution() {
  Resolution r;
  r.target = linux_311();
  r.pins = {pin("templar", "3.1.3", {"-r requirements.in"},
                {wheel("templar-3.1.3-py3-none-any.whl", hex('d')), sdist("templar-3.1.3.tar.gz", hex('e'))},
                {"MarkupSafe_Lite>=2.0"})};
  return r;
}

// A lock context for templar_resolution(): the root as the user wrote it and templar's METADATA.
LockContext templar_context(const std::string& requirement, std::string_view metadata) {
  LockContext c;
  c.tool_version = "0.1.0";
  c.requirements = {root(requirement)};
  c.metadata["templar"] = std::make_shared<const CoreMetadata>(CoreMetadata::parse(metadata));
  return c;
}

TEST(ReportWriter, PipShapeAndFormatting) {
  LockContext c = templar_context("templar[I18N]>=3.1",
      "Metadata-Version: 2.1\n"
      "Name: templar\n"
      "Version: 3.1.3\n"
      "Summary: Fast text templates\n"
      "Keywords: web, text,templates\n"
      "Classifier: License :: OSI Approved :: MIT License\n"
      "Classifier: Programming Language :: Python :: 3\n"
      "Requires-Dist: MarkupSafe_Lite>=2.0\n"
      "Requires-Python: >=3.7\n"
      "Provides-Extra: i18n\n"
      "\n"
      "# templar\n"
      "Says \"h\xC3\xA9llo\"\ttab\n");
  std::string out = write_report(templar_resolution(), c);
  const std::string expected_install =
      "{\n"
      "  \"version\": \"1\",\n"
      "  \"pip_version\": \"thoth 0.1.0\",\n"
      "  \"install\": [\n"
      "    {\n"
      "      \"download_info\": {\n"
      "        \"url\": \"https://files.example/templar-3.1.3-py3-none-any.whl\",\n"
      "        \"archive_info\": {\n"
      "          \"hash\": \"sha256=" + hex('d') + "\",\n"
      "          \"hashes\": {\n"
      "            \"sha256\": \"" + hex('d') + "\"\n"
      "          }\n"
      "        }\n"
      "      },\n"
      "      \"is_direct\": false,\n"
      "      \"requested\": true,\n"
      "      \"metadata\": {\n"
      "        \"metadata_version\": \"2.1\",\n"
      "        \"name\": \"templar\",\n"
      "        \"version\": \"3.1.3\",\n"
      "        \"summary\": \"Fast text templates\",\n"
      "        \"description\": \"# templar\\nSays \\\"h\xC3\xA9llo\\\"\\ttab\\n\",\n"
      "        \"keywords\": [\n"
      "          \"web\",\n"
      "          \"text\",\n"
      "          \"templates\"\n"
      "        ],\n"
      "        \"classifier\": [\n"
      "          \"License :: OSI Approved :: MIT License\",\n"
      "          \"Programming Language :: Python :: 3\"\n"
      "        ],\n"
      "        \"requires_dist\": [\n"
      "          \"MarkupSafe_Lite>=2.0\"\n"
      "        ],\n"
      "        \"requires_python\": \">=3.7\",\n"
      "        \"provides_extra\": [\n"
      "          \"i18n\"\n"
      "        ]\n"
      "      },\n"
      "      \"requested_extras\": [\n"
      "        \"I18N\"\n"
      "      ]\n"
      "    }\n"
      "  ],\n"
      "  \"environment\": {\n"
      "    \"implementation_name\": \"cpython\",\n"
      "    \"implementation_version\": \"3.11.0\",\n"
      "    \"os_name\": \"posix\",\n"
      "    \"platform_machine\": \"x86_64\",\n"
      "    \"platform_release\": \"\",\n"
      "    \"platform_system\": \"Linux\",\n"
      "    \"platform_version\": \"\",\n"
      "    \"python_full_version\": \"3.11.0\",\n"
      "    \"platform_python_implementation\": \"CPython\",\n"
      "    \"python_version\": \"3.11\",\n"
      "    \"sys_platform\": \"linux\"\n"
      "  }\n"
      "}\n";
  EXPECT_EQ(out, expected_install);
}

// Field names are case-insensitive (RFC 822 headers); the JSON keeps PEP 566's field order whatever the
// file's order, and a repeated field's values in file order.
TEST(ReportWriter, MetadataFieldsMatchWhateverTheirCaseAndOrder) {
  LockContext c = templar_context("templar>=3.1",
      "requires-dist: b-dep\n"
      "VERSION: 3.1.3\n"
      "home-page: https://templar.example\n"
      "Metadata-Version: 2.1\n"
      "Requires-Dist: a-dep\n"
      "name: templar\n"
      "X-Unknown: ignored\n");
  std::string out = write_report(templar_resolution(), c);
  EXPECT_NE(out.find("      \"metadata\": {\n"
                     "        \"metadata_version\": \"2.1\",\n"
                     "        \"name\": \"templar\",\n"
                     "        \"version\": \"3.1.3\",\n"
                     "        \"home_page\": \"https://templar.example\",\n"
                     "        \"requires_dist\": [\n"
                     "          \"b-dep\",\n"
                     "          \"a-dep\"\n"
                     "        ]\n"
                     "      }\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("ignored"), std::string::npos);
}

TEST(ReportWriter, DependenciesAreNotRequestedAndMetadataFallsBackToThePin) {
  Resolution r = sample_resolution();
  LockContext c = sample_context();
  // A root whose marker is false for the target is ignored, as pip ignores it: not "requested".
  c.requirements.push_back(root("certbundle[extra] ; python_version < '3'", "more.in", 1));
  std::string out = write_report(r, c);
  // certbundle is only a dependency.
  auto at = out.find("\"url\": \"https://files.example/certbundle");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(out.find("\"is_direct\": false,\n      \"requested\": false,\n      \"metadata\": {\n"
                     "        \"metadata_version\": \"2.1\",\n        \"name\": \"certbundle\",\n"
                     "        \"version\": \"2024.2.2\"\n      }\n    },",
                     at),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"requested_extras\": [\n        \"socks\"\n      ]"), std::string::npos);
}

TEST(ReportWriter, DirectReferencesDropCredentials) {
  Resolution r = templar_resolution();
  r.pins[0].direct_url = "https://user:secret@files.example/templar-3.1.3-py3-none-any.whl#sha256=" + hex('d');
  LockContext c;
  std::string out = write_report(r, c);
  EXPECT_NE(out.find("\"url\": \"https://files.example/templar-3.1.3-py3-none-any.whl\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"is_direct\": true"), std::string::npos);
  EXPECT_EQ(out.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace thoth
