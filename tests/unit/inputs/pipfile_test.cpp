// Pipfiles as pipenv reads them, and the _meta.hash.sha256 pipenv computes of them. The hashes were
// computed by Debian's pipenv 2022.12.19 (plette's Pipfile.get_hash: the legacy variant) and by the
// canonical algorithm of current pipenv (package names normalised first) over the same files.
#include <gtest/gtest.h>

#include "thoth/pipfile.hpp"

namespace thoth {
namespace {

// The issue's vector: canonical names, so both variants agree.
const char* kKnown = R"([[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
requests = {version="*", sys_platform="== 'linux'"}
urllib3 = "*"

[dev-packages]

[requires]
python_version = "3.11"
)";

TEST(PipfileHash, KnownVectorBothVariants) {
  Pipfile p = read_pipfile(kKnown, "Pipfile");
  EXPECT_EQ(p.hash_legacy, "132a5eb6d6138353e2837c95af6700c90651a30015f73b576a8a0268573d3548");
  EXPECT_EQ(p.hash_canonical, p.hash_legacy);
}

TEST(PipfileHash, CommentsLayoutAndKeyOrderDoNotMatter) {
  const char* reordered = R"(# a comment
[requires]
python_version = "3.11"

[packages]
urllib3 = "*"   # trailing comment
requests = { sys_platform = "== 'linux'", version = "*" }

[dev-packages]

[[source]]
name = "pypi"
verify_ssl = true
url = "https://pypi.org/simple"
)";
  EXPECT_EQ(read_pipfile(reordered, "Pipfile").hash_legacy,
            "132a5eb6d6138353e2837c95af6700c90651a30015f73b576a8a0268573d3548");
}

// No [[source]]: pipenv's default source is hashed. Names not in canonical form: the variants differ.
// [scripts] and [pipenv] are left out; the custom category [docs] is included.
TEST(PipfileHash, NamesAsWrittenOrNormalised) {
  const char* text = R"([packages]
Sphinx = "*"
my_pkg = {version=">=1", extras=["a"]}

[dev-packages]
PyTest = "*"

[docs]
"Foo.Bar" = "*"

[requires]
python_full_version = "3.11.4"

[scripts]
test = "pytest"

[pipenv]
allow_prereleases = true
)";
  Pipfile p = read_pipfile(text, "Pipfile");
  EXPECT_EQ(p.hash_legacy, "0154f5a12226420dd13932f55e14bf91370346d624e02ed4fe26d5ba76423165");
  EXPECT_EQ(p.hash_canonical, "87015095481b6c14cfa0425be988fcc8436689c443de03d8f32b9e5140ef9dd5");
  // The scripts and pipenv tables are not hashed: changing them keeps the hash.
  std::string changed = text;
  changed.replace(changed.find("pytest\""), 7, "tox\"");
  changed.replace(changed.find("allow_prereleases = true"), 24, "allow_prereleases = false");
  EXPECT_EQ(read_pipfile(changed, "Pipfile").hash_legacy, p.hash_legacy);
  ASSERT_EQ(p.sources.size(), 1u);
  EXPECT_EQ(p.sources[0].name, "pypi");
  EXPECT_EQ(p.sources[0].url, "https://pypi.org/simple");
  EXPECT_TRUE(p.allow_prereleases);
  EXPECT_EQ(p.python_full_version, "3.11.4");
}

// Non-ASCII (escaped as Python's ensure_ascii does, with a surrogate pair), tabs and quotes, floats
// in Python's repr, integers, unexpanded ${VAR} in a URL, arbitrary keys.
TEST(PipfileHash, PythonJsonDetails) {
  const char* text = R"([[source]]
url = "https://${USER}:${PASS}@example.com/simple"
verify_ssl = false
name = "münchen"

[[source]]
url = "http://127.0.0.1:8000/simple"
verify_ssl = false
name = "local"

[packages]
requests = {version = ">=2.0,<3", extras = ["socks", "security"], markers = "python_version >= '3.8'", os_name = "== 'posix'", index = "local"}
foo = {version = "*", weight = 1.5, big = 10000000000000000.0, tiny = 0.0001, n = 42, emoji = "😀 é\t\"q\""}

[dev-packages]

[requires]
python_version = "3.12"
)";
  Pipfile p = read_pipfile(text, "Pipfile");
  EXPECT_EQ(p.hash_legacy, "fcf0b0991cda95ea1ff86e347804d025ec3c4aecb47e79c972aa5fe177c7ab0a");
  EXPECT_EQ(p.hash_canonical, p.hash_legacy);
}

TEST(PythonJson, FloatsAsPythonRepr) {
  auto f = [](double d) {
    JsonValue v;
    v.kind = JsonValue::Kind::real;
    v.real = d;
    return python_json(v);
  };
  EXPECT_EQ(f(1.5), "1.5");
  EXPECT_EQ(f(3.0), "3.0");
  EXPECT_EQ(f(1e16), "1e+16");
  EXPECT_EQ(f(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(f(0.0001), "0.0001");
  EXPECT_EQ(f(0.00001), "1e-05");
  EXPECT_EQ(f(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(f(0.1), "0.1");
}

TEST(PythonJson, IndentedLikeJsonDumps) {
  JsonValue doc = JsonValue::object();
  doc.members["b"] = JsonValue::array();
  doc.members["a"] = JsonValue::object();
  JsonValue list = JsonValue::array();
  list.items.push_back(JsonValue::of(std::string("x")));
  list.items.push_back(JsonValue::of(true));
  doc.members["c"] = list;
  EXPECT_EQ(python_json(doc, 4), "{\n    \"a\": {},\n    \"b\": [],\n    \"c\": [\n        \"x\",\n        true\n    ]\n}");
  EXPECT_EQ(python_json(doc, 0), "{\"a\":{},\"b\":[],\"c\":[\"x\",true]}");
}

TEST(Pipfile, PackagesBecomeRequirements) {
  const char* text = R"([[source]]
url = "https://${HOST}/simple"
verify_ssl = true
name = "main"

[[source]]
url = "http://127.0.0.1:9/simple"
verify_ssl = false
name = "local"

[packages]
Requests = {version = ">=2", extras = ["socks"], markers = "python_version >= '3.8'", sys_platform = "== 'linux'"}
plain = "==1.0"
any = "*"
pinned = {version = "~=1.2", index = "local"}

[dev-packages]
pytest = "*"

[docs]
sphinx = "*"

[requires]
python_version = "3.11"
)";
  Pipfile p = read_pipfile(text, "/proj/Pipfile");
  ASSERT_EQ(p.categories.size(), 3u);
  EXPECT_EQ(p.categories[0].lock_name, "default");
  EXPECT_EQ(p.categories[1].lock_name, "develop");
  EXPECT_EQ(p.categories[2].lock_name, "docs");
  const PipfilePackage& r = p.categories[0].packages[0];
  EXPECT_EQ(r.key, "Requests");
  EXPECT_EQ(r.name, "requests");
  EXPECT_EQ(r.markers, "python_version >= '3.8' and sys_platform == 'linux'");
  EXPECT_EQ(r.requirement.requirement.str(),
            "Requests[socks]>=2; python_version >= \"3.8\" and sys_platform == \"linux\"");
  EXPECT_EQ(p.categories[0].packages[1].requirement.requirement.str(), "plain==1.0");
  EXPECT_EQ(p.categories[0].packages[2].requirement.requirement.str(), "any");
  EXPECT_EQ(p.categories[0].packages[3].index, "local");
  EXPECT_EQ(p.python_version, "3.11");

  RequirementSet dev = pipfile_requirements(p, {"develop"}, [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOST") return std::string("mirror.example");
    return std::nullopt;
  });
  ASSERT_EQ(dev.requirements.size(), 1u);
  EXPECT_EQ(dev.requirements[0].requirement.name, "pytest");
  EXPECT_EQ(dev.options.index.index_url.value_or(""), "https://mirror.example/simple");
  ASSERT_EQ(dev.options.index.extra_index_urls.size(), 1u);
  EXPECT_EQ(dev.options.index.extra_index_urls[0], "http://127.0.0.1:9/simple");
  EXPECT_EQ(dev.options.index.trusted_hosts, std::vector<std::string>{"127.0.0.1:9"});
  // The stored URL keeps the reference: it is expanded only where it is used.
  EXPECT_EQ(p.sources[0].url, "https://${HOST}/simple");
  // `index = "local"` restricts pinned to that source's URL, whichever category is locked.
  EXPECT_EQ(dev.options.index.project_indexes,
            (std::map<std::string, std::string>{{"pinned", "http://127.0.0.1:9/simple"}}));
}

// One package restricted to two different sources by two categories is ambiguous: refused, named.
TEST(Pipfile, IndexRestrictionsMustAgree) {
  const char* text = R"([[source]]
url = "https://a.example/simple"
name = "a"

[[source]]
url = "https://b.example/simple"
name = "b"

[packages]
Lib = {version = "*", index = "a"}

[dev-packages]
lib = {version = "*", index = "b"}
)";
  Pipfile p = read_pipfile(text, "Pipfile");
  try {
    (void)pipfile_index_options(p, {});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Pipfile: dev-packages.lib.index: 'b' differs from the index packages.Lib names (a package comes from "
              "one source)");
  }
}

TEST(Pipfile, PathFileAndVcsEntries) {
  const char* text = R"([packages]
local = {path = "./pkg", editable = true}
wheel = {file = "https://host/wheel-1.0-py3-none-any.whl"}
repo = {git = "https://github.com/o/repo.git", ref = "v1"}
)";
  Pipfile p = read_pipfile(text, "/proj/Pipfile");
  const auto& pk = p.categories[0].packages;
  EXPECT_EQ(pk[0].requirement.link, "/proj/pkg");
  EXPECT_TRUE(pk[0].requirement.editable);
  EXPECT_EQ(pk[0].requirement.requirement.name, "local");
  EXPECT_EQ(pk[1].requirement.link, "https://host/wheel-1.0-py3-none-any.whl");
  EXPECT_EQ(pk[2].vcs, "git");
  EXPECT_EQ(pk[2].requirement.link, "git+https://github.com/o/repo.git@v1#egg=repo");
}

TEST(Pipfile, ExpandVarsAsOsPathExpandvars) {
  auto env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "USER") return std::string("me");
    return std::nullopt;
  };
  EXPECT_EQ(expand_pipfile_vars("https://${USER}:$USER@h/${UNSET}/$UNSET/$", env), "https://me:me@h/${UNSET}/$UNSET/$");
}

void expect_error(const char* text, const std::string& message) {
  try {
    read_pipfile(text, "proj/Pipfile");
    FAIL() << "no error for " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), message);
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

TEST(Pipfile, BadInputNamesFileAndKey) {
  expect_error("[packages]\nrequests = 3\n",
               "proj/Pipfile: packages.requests: must be a version string (\"*\", \"==1.0\") or a table");
  expect_error("[packages]\nrequests = {version = 2}\n", "proj/Pipfile: packages.requests.version: must be a string");
  expect_error("[packages]\nrequests = {version = \"*\", index = \"nope\"}\n",
               "proj/Pipfile: packages.requests.index: 'nope' is not the name of a [[source]]");
  expect_error("[packages]\nrequests = {extras = \"socks\"}\n",
               "proj/Pipfile: packages.requests.extras: must be an array of strings");
  expect_error("[[source]]\nname = \"x\"\n", "proj/Pipfile: source[0]: needs a url");
  expect_error("docs = 1\n", "proj/Pipfile: docs: must be a table of packages");
  expect_error("[pipenv]\nallow_prereleases = \"yes\"\n", "proj/Pipfile: pipenv.allow_prereleases: must be true or false");
  expect_error("[packages]\nA_b = \"*\"\na-B = \"*\"\n", "proj/Pipfile: packages.a-B: names the same project as A_b");
  try {
    read_pipfile("[packages\n", "proj/Pipfile");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("proj/Pipfile:1:", 0), 0u) << e.what();
  }
  try {
    read_pipfile("[packages]\nx = \">=>1\"\n", "proj/Pipfile");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("proj/Pipfile: packages.x: ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace thoth
