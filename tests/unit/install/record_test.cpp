// RECORD, direct_url.json, INI reading and generated scripts.
#include <gtest/gtest.h>

#include "install/ini.hpp"
#include "install/scripts.hpp"
#include "thoth/install.hpp"

namespace thoth {
namespace {

TEST(Record, HashIsUrlsafeBase64WithoutPadding) {
  // sha256 of nothing, as pip writes it for an empty REQUESTED.
  EXPECT_EQ(record_hash(""), "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  EXPECT_EQ(record_hash("pip\n"), "sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg");
}

TEST(Record, ParsesCsvRows) {
  auto rows = parse_record("a/b.py,sha256=x,12\r\n\"c,d.py\",sha256=y,3\npkg-1.dist-info/RECORD,,\n\n\"q\"\"uote\",,\n", "RECORD");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (RecordEntry{"a/b.py", "sha256=x", 12}));
  EXPECT_EQ(rows[1].path, "c,d.py");
  EXPECT_EQ(rows[2], (RecordEntry{"pkg-1.dist-info/RECORD", "", std::nullopt}));
  EXPECT_EQ(rows[3].path, "q\"uote");
}

TEST(Record, RefusesBadRows) {
  EXPECT_THROW(parse_record("a,b,c,d\n", "RECORD"), InstallError);
  EXPECT_THROW(parse_record("a,sha256=x,twelve\n", "RECORD"), InstallError);
  EXPECT_THROW(parse_record("\"a,b\n", "RECORD"), InstallError);
}

TEST(Record, FormatsSortedWithCsvQuotingAndCrlf) {
  std::string text = format_record({{"z.py", "sha256=a", 1}, {"a,b.py", "", std::nullopt}, {"m\"q", "sha256=b", 2}});
  EXPECT_EQ(text, "\"a,b.py\",,\r\n\"m\"\"q\",sha256=b,2\r\nz.py,sha256=a,1\r\n");
  EXPECT_EQ(parse_record(text, "RECORD").size(), 3u);
}

TEST(DirectUrl, LaidOutAsPipWritesIt) {
  DirectUrl archive{"file:///w/demo-1.0-py3-none-any.whl", DirectUrl::Kind::Archive, "ab12", false};
  EXPECT_EQ(format_direct_url(archive),
            "{\"archive_info\": {\"hash\": \"sha256=ab12\", \"hashes\": {\"sha256\": \"ab12\"}}, "
            "\"url\": \"file:///w/demo-1.0-py3-none-any.whl\"}");
  archive.archive_sha256.clear();
  EXPECT_EQ(format_direct_url(archive), "{\"archive_info\": {}, \"url\": \"file:///w/demo-1.0-py3-none-any.whl\"}");
  DirectUrl dir{"file:///src/d\xc3\xa9mo", DirectUrl::Kind::Directory, "", true};
  EXPECT_EQ(format_direct_url(dir), "{\"dir_info\": {\"editable\": true}, \"url\": \"file:///src/d\\u00e9mo\"}");
}

TEST(Ini, ConfigParserContinuationLines) {
  auto ini = install_detail::parse_ini("[externally-managed]\nError=first\n second\n\n third\n[other]\nk: v\n");
  ASSERT_NE(ini.find("externally-managed", "error"), nullptr);
  EXPECT_EQ(*ini.find("externally-managed", "error"), "first\nsecond\n\nthird");
  EXPECT_EQ(*ini.find("other", "k"), "v");
}

TEST(Ini, EntryPointsKeepNamesAndIgnoreIndentation) {
  auto ini = install_detail::parse_ini("[console_scripts]\n  My-Tool = pkg.cli:main\n# c\n; c\nother=pkg:run [extra]\n",
                                       install_detail::IniStyle::EntryPoints);
  ASSERT_EQ(ini.entries.size(), 2u);
  EXPECT_EQ(ini.entries[0].key, "My-Tool");
  EXPECT_EQ(ini.entries[1].value, "pkg:run [extra]");
}

TEST(Headers, FirstValueOfAKeyBeforeTheBody) {
  std::string text = "Metadata-Version: 2.1\nname:  Demo \nRequires-Dist: ((( broken\nVersion: 1.0\n\nVersion: 9\n";
  EXPECT_EQ(install_detail::header_value(text, "Name"), "Demo");
  EXPECT_EQ(install_detail::header_value(text, "Version"), "1.0");
  EXPECT_EQ(install_detail::header_value(text, "Summary"), "");
  EXPECT_EQ(install_detail::header_value("\nName: after-body\n", "Name"), "");
}

TEST(Scripts, Shebangs) {
  using install_detail::shebang_for;
  EXPECT_EQ(shebang_for("/v/bin/python"), "#!/v/bin/python\n");
  EXPECT_EQ(shebang_for("/my env/bin/python"), "#!/bin/sh\n'''exec' \"/my env/bin/python\" \"$0\" \"$@\"\n' '''\n");
  std::string long_path = "/" + std::string(130, 'x') + "/python";
  EXPECT_EQ(shebang_for(long_path), "#!/bin/sh\n'''exec' " + long_path + " \"$0\" \"$@\"\n' '''\n");
}

TEST(Scripts, RewritesPythonShebangOnly) {
  using install_detail::rewrite_python_shebang;
  EXPECT_EQ(rewrite_python_shebang("#!python\nprint(1)\n", "/v/bin/python"), "#!/v/bin/python\nprint(1)\n");
  EXPECT_EQ(rewrite_python_shebang("#!pythonw -u\nx\n", "/v/bin/python"), "#!/v/bin/python\nx\n");
  EXPECT_FALSE(rewrite_python_shebang("#!/bin/sh\necho\n", "/v/bin/python"));
}

TEST(Scripts, LauncherTextIsPips) {
  auto launchers = install_detail::make_launchers("[console_scripts]\nwheel = wheel.cli:main\n[gui_scripts]\ng = a.b:C.run [x]\n",
                                                  "/tmp/vt/bin/python", "3.11", "demo.whl");
  ASSERT_EQ(launchers.size(), 2u);
  // Byte for byte what pip 23 wrote for wheel 0.38.4 into a venv at /tmp/vt.
  EXPECT_EQ(launchers[0].content,
            "#!/tmp/vt/bin/python\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom wheel.cli import main\n"
            "if __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
            "    sys.exit(main())\n");
  EXPECT_NE(launchers[1].content.find("from a.b import C\n"), std::string::npos);
  EXPECT_NE(launchers[1].content.find("sys.exit(C.run())"), std::string::npos);
}

TEST(Scripts, PipAndEasyInstallGetTheTargetsVersionedNames) {
  auto launchers = install_detail::make_launchers(
      "[console_scripts]\npip = pip._internal.cli.main:main\npip3 = pip._internal.cli.main:main\n"
      "pip3.9 = pip._internal.cli.main:main\neasy_install = setuptools.command.easy_install:main\n"
      "easy_install-3.9 = setuptools.command.easy_install:main\npipx = p:m\n",
      "/v/bin/python", "3.11", "pip.whl");
  std::vector<std::string> names;
  for (const auto& l : launchers) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"pip", "pip3", "pip3.11", "easy_install", "easy_install-3.11", "pipx"}));
}

TEST(Scripts, RefusesEntryPointsWithoutCallableOrWithPaths) {
  EXPECT_THROW(install_detail::make_launchers("[console_scripts]\nx = module_only\n", "/p", "3.11", "w"), InstallError);
  EXPECT_THROW(install_detail::make_launchers("[console_scripts]\n../x = m:f\n", "/p", "3.11", "w"), InstallError);
}

}  // namespace
}  // namespace thoth
