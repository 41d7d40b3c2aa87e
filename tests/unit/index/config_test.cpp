#include <gtest/gtest.h>

#include "support.hpp"
#include "thoth/index.hpp"

namespace thoth {
namespace {

TEST(IndexConfig, DefaultsWithoutConfiguration) {
  IndexConfig c = load_index_config({}, {}, {});
  EXPECT_EQ(c.index_url, "https://pypi.org/simple");
  EXPECT_TRUE(c.extra_index_urls.empty());
  EXPECT_FALSE(c.no_index);
  EXPECT_EQ(c.strategy, IndexStrategy::first_index);
  EXPECT_FALSE(c.exclude_newer);
}

TEST(IndexConfig, PipConfSectionsFilesEnvironmentCommandLine) {
  std::vector<ConfigText> files = {
      {"/etc/pip.conf",
       "# system\n[global]\nindex-url = https://global.example/simple\n"
       "extra-index-url =\n    https://a.example/simple\n    https://b.example/simple\n"
       "trusted-host: a.example\n; comment\n[freeze]\nindex-url = https://ignored/\n"},
      {"/home/u/.config/pip/pip.conf",
       "[global]\nIndex_URL = https://user.example/simple\n[install]\nfind-links = /srv/wheels /srv/more\n"}};
  IndexConfig c = load_index_config(files, {}, {});
  EXPECT_EQ(c.index_url, "https://user.example/simple");  // a later file wins, key names normalised
  EXPECT_EQ(c.extra_index_urls, (std::vector<std::string>{"https://a.example/simple", "https://b.example/simple"}));
  EXPECT_EQ(c.trusted_hosts, (std::vector<std::string>{"a.example"}));
  EXPECT_EQ(c.find_links, (std::vector<std::string>{"/srv/wheels", "/srv/more"}));

  // [install] beats [global] whatever file it is in.
  files.push_back({"/extra", "[global]\nindex-url = https://last-global.example/simple\n"});
  files[0].text += "[install]\nindex-url = https://install.example/simple\n";
  EXPECT_EQ(load_index_config(files, {}, {}).index_url, "https://install.example/simple");

  // The environment beats every file; list variables are space separated and replace.
  Environment env = {{"PIP_INDEX_URL", "https://env.example/simple"},
                     {"PIP_EXTRA_INDEX_URL", "https://x.example/simple  https://y.example/simple"},
                     {"PIP_FIND_LINKS", "/opt/wheels"},
                     {"PIP_TRUSTED_HOST", "x.example y.example"},
                     {"PIP_NO_INDEX", "yes"},
                     {"HOME", "/home/u"}};
  c = load_index_config(files, env, {});
  EXPECT_EQ(c.index_url, "https://env.example/simple");
  EXPECT_EQ(c.extra_index_urls, (std::vector<std::string>{"https://x.example/simple", "https://y.example/simple"}));
  EXPECT_EQ(c.find_links, (std::vector<std::string>{"/opt/wheels"}));
  EXPECT_EQ(c.trusted_hosts, (std::vector<std::string>{"x.example", "y.example"}));
  EXPECT_TRUE(c.no_index);

  // The command line replaces single values and appends to lists.
  IndexOptions cli;
  cli.index_url = "https://cli.example/simple";
  cli.extra_index_urls = {"https://z.example/simple"};
  cli.no_index = false;
  cli.strategy = IndexStrategy::unsafe_best_match;
  cli.exclude_newer = "2024-01-01";
  c = load_index_config(files, env, cli);
  EXPECT_EQ(c.index_url, "https://cli.example/simple");
  EXPECT_EQ(c.extra_index_urls, (std::vector<std::string>{"https://x.example/simple", "https://y.example/simple",
                                                          "https://z.example/simple"}));
  EXPECT_FALSE(c.no_index);
  EXPECT_EQ(c.strategy, IndexStrategy::unsafe_best_match);
  EXPECT_EQ(c.exclude_newer.value_or(""), "2024-01-01");
}

TEST(IndexConfig, SettingsInPipOrderWithOrigins) {
  std::vector<ConfigText> files = {
      {"/etc/pip.conf", "[global]\ntimeout = 10\nproxy = http://global:3128\n[install]\nretries = 7\n"},
      {"/home/u/pip.conf", "[global]\nTimeout = 20\ncert =\n[install]\nClient_Cert = /k.pem\n"}};
  const Environment env = {{"PIP_RETRIES", "2"}, {"PIP_PROXY", ""}, {"PIP_CONFIG_FILE", "/home/u/pip.conf"},
                           {"HOME", "/home/u"}};
  const ConfigSettings settings = pip_config_settings(files, env);
  // A later file replaces an earlier one's key; [install] comes after [global]; the environment last.
  const ConfigSetting* timeout = find_setting(settings, "timeout");
  ASSERT_NE(timeout, nullptr);
  EXPECT_EQ(timeout->value, "20");
  EXPECT_EQ(timeout->origin, "/home/u/pip.conf [global] timeout");
  ASSERT_NE(find_setting(settings, "retries"), nullptr);
  EXPECT_EQ(find_setting(settings, "retries")->value, "2");
  EXPECT_EQ(find_setting(settings, "retries")->origin, "PIP_RETRIES");
  ASSERT_NE(find_setting(settings, "client-cert"), nullptr);
  EXPECT_EQ(find_setting(settings, "client-cert")->origin, "/home/u/pip.conf [install] client-cert");
  // Empty values are ignored, as pip ignores them: the file's proxy stands.
  EXPECT_EQ(find_setting(settings, "proxy")->value, "http://global:3128");
  EXPECT_EQ(find_setting(settings, "cert"), nullptr);
  EXPECT_EQ(find_setting(settings, "config-file"), nullptr);
  EXPECT_EQ(find_setting(settings, "home"), nullptr);
}

TEST(IndexConfig, BadLinesAndValuesAreWarnings) {
  std::vector<ConfigText> files = {{"/etc/pip.conf", "index-url = https://nosection/\n[global]\njunk line\n"
                                                     "no-index = maybe\nindex-url =\n"}};
  std::vector<std::string> warnings;
  IndexConfig c = load_index_config(files, {{"PIP_NO_INDEX", "sometimes"}}, {}, &warnings);
  EXPECT_EQ(c.index_url, "https://pypi.org/simple");  // empty values are ignored, as pip does
  EXPECT_FALSE(c.no_index);
  ASSERT_EQ(warnings.size(), 4u);
  EXPECT_NE(warnings[0].find("/etc/pip.conf:1"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("/etc/pip.conf:3"), std::string::npos) << warnings[1];
  EXPECT_NE(warnings[2].find("maybe"), std::string::npos) << warnings[2];
  EXPECT_NE(warnings[3].find("PIP_NO_INDEX"), std::string::npos) << warnings[3];
}

TEST(IndexConfig, PipConfigFileLocations) {
  Environment env = {{"HOME", "/home/u"}};
  EXPECT_EQ(pip_config_paths(env),
            (std::vector<std::filesystem::path>{"/etc/xdg/pip/pip.conf", "/etc/pip.conf", "/home/u/.pip/pip.conf",
                                                "/home/u/.config/pip/pip.conf"}));
  env["XDG_CONFIG_DIRS"] = "/a:/b";
  env["XDG_CONFIG_HOME"] = "/cfg";
  env["PIP_CONFIG_FILE"] = "/nonexistent/pip.conf";
  EXPECT_EQ(pip_config_paths(env, "/venv"),
            (std::vector<std::filesystem::path>{"/a/pip/pip.conf", "/b/pip/pip.conf", "/etc/pip.conf",
                                                "/home/u/.pip/pip.conf", "/cfg/pip/pip.conf", "/venv/pip.conf",
                                                "/nonexistent/pip.conf"}));
  // An existing PIP_CONFIG_FILE replaces the user files; /dev/null disables every file.
  test::TempDir tmp;
  test::write_file(tmp.path() / "pip.conf", "[global]\nindex-url = https://from-env-file/simple\n");
  env["PIP_CONFIG_FILE"] = (tmp.path() / "pip.conf").string();
  auto paths = pip_config_paths(env);
  EXPECT_EQ(paths.size(), 4u);
  EXPECT_EQ(paths.back(), tmp.path() / "pip.conf");
  auto texts = read_config_files({"/nonexistent/pip.conf", tmp.path(), paths.back()});
  ASSERT_EQ(texts.size(), 1u);  // missing files and directories are skipped
  EXPECT_EQ(load_index_config(texts, env, {}).index_url, "https://from-env-file/simple");
  env["PIP_CONFIG_FILE"] = "/dev/null";
  EXPECT_TRUE(pip_config_paths(env).empty());
}

TEST(IndexConfig, StrategyNames) {
  EXPECT_EQ(parse_index_strategy("first-index"), IndexStrategy::first_index);
  EXPECT_EQ(parse_index_strategy("unsafe-best-match"), IndexStrategy::unsafe_best_match);
  EXPECT_FALSE(parse_index_strategy("best"));
}

TEST(CacheAdmin, DirUsageAndClean) {
  EXPECT_EQ(default_cache_dir({{"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}}), "/xdg/thoth");
  EXPECT_EQ(default_cache_dir({{"XDG_CACHE_HOME", "relative"}, {"HOME", "/home/u"}}), "/home/u/.cache/thoth");
  EXPECT_THROW(default_cache_dir({}), IndexError);

  test::TempDir tmp;
  test::write_file(tmp.path() / "pages-v1" / "ab" / "abcd", "12345");
  test::write_file(tmp.path() / "pages-v1" / "ab" / ".abce.tmp.XYZ", "partial");
  test::write_file(tmp.path() / "blobs-v1" / "sha256" / "cd" / "cdef", "1234567890");
  test::write_file(tmp.path() / "derived-v1" / "listings" / "ef" / "ef01", "123");
  test::write_file(tmp.path() / "pages-v1" / "ab" / "abcd.fresh", "1");  // part of abcd's entry
  // An unpacked wheel is one entry however many files it has; a half-unpacked one is none.
  test::write_file(tmp.path() / "wheels-v1" / "12" / "1234" / "pkg" / "__init__.py", "ab");
  test::write_file(tmp.path() / "wheels-v1" / "12" / "1234" / "pkg-1.0.dist-info" / "RECORD", "abcd");
  test::write_file(tmp.path() / "wheels-v1" / "12" / ".1235.tmp.Q" / "pkg" / "x.py", "ignored");
  test::write_file(tmp.path() / "built-v1" / "56" / "5678" / "pkg-1.0-py3-none-any.whl", "123456");
  test::write_file(tmp.path() / "built-v1" / "56" / "5678" / "cp311.METADATA", "1");
  test::write_file(tmp.path() / "interpreters-v1" / "key.json", "{}");
  test::write_file(tmp.path() / "mine.txt", "not the cache's");
  CacheUsage u = cache_usage(tmp.path());
  EXPECT_EQ(u.store("pages-v1").entries, 1u);
  EXPECT_EQ(u.store("pages-v1").bytes, 6u);
  EXPECT_EQ(u.store("blobs-v1").entries, 1u);
  EXPECT_EQ(u.store("blobs-v1").bytes, 10u);
  EXPECT_EQ(u.store("derived-v1").entries, 1u);
  EXPECT_EQ(u.store("derived-v1").bytes, 3u);
  EXPECT_EQ(u.store("wheels-v1").entries, 1u);
  EXPECT_EQ(u.store("wheels-v1").bytes, 6u);
  EXPECT_EQ(u.store("built-v1").entries, 2u);
  EXPECT_EQ(u.store("interpreters-v1").entries, 1u);
  EXPECT_EQ(u.store("scratch-v1").entries, 0u);
  EXPECT_EQ(u.entries(), 7u);
  EXPECT_EQ(u.bytes(), 34u);
  CacheUsage removed = clean_cache(tmp.path());
  EXPECT_EQ(removed.store("blobs-v1").bytes, 10u);
  for (const char* store : {"pages-v1", "blobs-v1", "derived-v1", "wheels-v1", "built-v1", "interpreters-v1"})
    EXPECT_FALSE(std::filesystem::exists(tmp.path() / store)) << store;
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / "mine.txt"));
  EXPECT_EQ(cache_usage(tmp.path()).entries(), 0u);
}

TEST(IndexConfig, CredentialUrlsAreTheHttpIndexesAndFindLinks) {
  IndexConfig c;
  c.index_url = "https://u:p@main.example/simple";
  c.extra_index_urls = {"https://extra.example/simple", "file:///srv/index"};
  c.find_links = {"/srv/wheels", "http://t@links.example/"};
  EXPECT_EQ(credential_urls(c), (std::vector<std::string>{"https://u:p@main.example/simple",
                                                         "https://extra.example/simple", "http://t@links.example/"}));
  // pip hands its credential helper no index URLs with --no-index.
  c.no_index = true;
  EXPECT_EQ(credential_urls(c), (std::vector<std::string>{"http://t@links.example/"}));
}

}  // namespace
}  // namespace thoth
