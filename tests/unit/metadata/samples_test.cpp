// Whole documents: one per Metadata-Version from 1.0 to 2.4, built from the field examples of the
// PyPA "Core metadata specifications", and a realistic wheel METADATA (requests 2.31.0).
#include <gtest/gtest.h>

#include <string>

#include "thoth/metadata.hpp"

namespace thoth {
namespace {

std::vector<std::string> req_strings(const CoreMetadata& md) {
  std::vector<std::string> out;
  for (const auto& r : md.requires_dist) out.push_back(r.str());
  return out;
}

TEST(Samples, Version1_0) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 1.0\n"
      "Name: BeagleVote\n"
      "Version: 1.0a2\n"
      "Platform: ObscureUnix\n"
      "Platform: RareDOS\n"
      "Summary: A module for collecting votes from beagles.\n"
      "Description: This module collects votes from beagles\n"
      "        in order to determine their electoral wishes.\n"
      "        Do NOT try to use this module with basset hounds;\n"
      "        it makes them grumpy.\n"
      "Keywords: dog puppy voting election\n"
      "Home-page: http://www.example.com/~cschultz/bvote/\n"
      "Author: C. Schultz, Universal Features Syndicate,\n"
      "        Los Angeles, CA <cschultz@peanuts.example.com>\n"
      "Author-email: \"C. Schultz\" <cschultz@example.com>\n"
      "License: This software may only be obtained by sending the\n"
      "        author a postcard, and then the user promises not\n"
      "        to redistribute it.\n");
  EXPECT_EQ(md.metadata_version, "1.0");
  EXPECT_EQ(md.name, "BeagleVote");
  EXPECT_EQ(md.version.str(), "1.0a2");
  EXPECT_TRUE(md.version.is_prerelease());
  EXPECT_EQ(md.summary, "A module for collecting votes from beagles.");
  EXPECT_EQ(md.all("Platform"), (std::vector<std::string_view>{"ObscureUnix", "RareDOS"}));
  EXPECT_EQ(md.all("License")[0],
            "This software may only be obtained by sending the\nauthor a postcard, and then the user promises not\n"
            "to redistribute it.");
  EXPECT_EQ(md.all("Author")[0], "C. Schultz, Universal Features Syndicate,\nLos Angeles, CA <cschultz@peanuts.example.com>");
  EXPECT_EQ(md.all("Author-email")[0], "\"C. Schultz\" <cschultz@example.com>");
  EXPECT_EQ(md.description,
            "This module collects votes from beagles\nin order to determine their electoral wishes.\n"
            "Do NOT try to use this module with basset hounds;\nit makes them grumpy.");
  EXPECT_EQ(md.fields.size(), 12u);
  EXPECT_FALSE(md.dependencies_are_static());
}

TEST(Samples, Version1_1) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 1.1\n"
      "Name: BeagleVote\n"
      "Version: 1.0\n"
      "Summary: A module for collecting votes from beagles.\n"
      "Supported-Platform: RedHat 7.2\n"
      "Supported-Platform: i386-win32-2791\n"
      "Download-URL: http://www.example.com/~cschultz/bvote/BeagleVote-1.0.tar.gz\n"
      "Classifier: Development Status :: 4 - Beta\n"
      "Classifier: Environment :: Console (Text Based)\n"
      "Requires: re\n"
      "Requires: sys\n"
      "Requires: zlib\n"
      "Requires: xml.parsers.expat (>1.0)\n"
      "Requires: psycopg\n"
      "Provides: xml\n"
      "Provides: xml.utils\n"
      "Provides: xml.utils.iso8601\n"
      "Provides: xml.dom\n"
      "Provides: xmltools (1.3)\n"
      "Obsoletes: Gorgon\n");
  EXPECT_EQ(md.metadata_version, "1.1");
  EXPECT_EQ(md.all("Classifier"),
            (std::vector<std::string_view>{"Development Status :: 4 - Beta", "Environment :: Console (Text Based)"}));
  EXPECT_EQ(md.all("Supported-Platform").size(), 2u);
  EXPECT_EQ(md.all("Requires").size(), 5u);
  EXPECT_EQ(md.all("Provides").back(), "xmltools (1.3)");
  EXPECT_TRUE(md.requires_dist.empty());  // "Requires" names modules; pip ignores it
}

TEST(Samples, Version1_2) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 1.2\n"
      "Name: BeagleVote\n"
      "Version: 1.0\n"
      "Maintainer: C. Schultz\n"
      "Maintainer-email: \"C. Schultz\" <cschultz@example.com>\n"
      "Requires-Dist: pkginfo\n"
      "Requires-Dist: PasteDeploy\n"
      "Requires-Dist: zope.interface (>3.5.0)\n"
      "Requires-Dist: pywin32 >1.0; sys_platform == 'win32'\n"
      "Provides-Dist: OtherProject\n"
      "Provides-Dist: AnotherProject (3.4)\n"
      "Provides-Dist: virtual_package; python_version >= \"3.4\"\n"
      "Obsoletes-Dist: Gorgon\n"
      "Obsoletes-Dist: OtherProject (<3.0)\n"
      "Obsoletes-Dist: Foo; os_name == \"posix\"\n"
      "Requires-Python: >2.6,!=3.0.*,!=3.1.*\n"
      "Requires-External: C\n"
      "Requires-External: libpng (>=1.5)\n"
      "Requires-External: make; sys_platform != \"win32\"\n"
      "Project-URL: Bug Tracker, http://bitbucket.org/tarek/distribute/issues/\n");
  ASSERT_EQ(md.requires_dist.size(), 4u);
  EXPECT_EQ(md.requires_dist[2].name, "zope.interface");
  EXPECT_EQ(md.requires_dist[2].specifier.str(), ">3.5.0");
  EXPECT_EQ(md.requires_dist[3].name, "pywin32");
  ASSERT_TRUE(md.requires_dist[3].marker.has_value());
  EXPECT_EQ(md.requires_dist[3].marker->str(), "sys_platform == \"win32\"");
  EXPECT_EQ(req_strings(md), (std::vector<std::string>{"pkginfo", "PasteDeploy", "zope.interface>3.5.0",
                                                       "pywin32>1.0; sys_platform == \"win32\""}));
  EXPECT_EQ(md.requires_python.str(), "!=3.0.*,!=3.1.*,>2.6");
  EXPECT_FALSE(md.requires_python.contains(Version::parse("3.1.4")));
  EXPECT_TRUE(md.requires_python.contains(Version::parse("2.7")));
  EXPECT_EQ(md.all("Requires-External").size(), 3u);
  EXPECT_EQ(md.all("Project-URL")[0], "Bug Tracker, http://bitbucket.org/tarek/distribute/issues/");
  EXPECT_EQ(md.all("Obsoletes-Dist").size(), 3u);
}

TEST(Samples, Version2_1WithBodyAndExtras) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 2.1\n"
      "Name: BeagleVote\n"
      "Version: 1.0\n"
      "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM\n"
      "Provides-Extra: pdf\n"
      "Requires-Dist: reportlab; extra == 'pdf'\n"
      "\n"
      "This project provides powerful math functions\n"
      "\n"
      "Example::\n"
      "\n"
      "    >>> sum(1, 2)\n"
      "    3\n");
  EXPECT_EQ(md.provides_extra, (std::vector<std::string>{"pdf"}));
  ASSERT_EQ(md.requires_dist.size(), 1u);
  EXPECT_EQ(md.requires_dist[0].marker->str(), "extra == \"pdf\"");
  EXPECT_EQ(md.description, "This project provides powerful math functions\n\nExample::\n\n    >>> sum(1, 2)\n    3\n");
  EXPECT_EQ(md.all("Description-Content-Type")[0], "text/markdown; charset=UTF-8; variant=GFM");
  EXPECT_FALSE(md.dependencies_are_static());
}

TEST(Samples, Version2_2Dynamic) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 2.2\n"
      "Name: BeagleVote\n"
      "Version: 1.0\n"
      "Dynamic: Obsoletes-Dist\n"
      "Dynamic: Requires-External\n"
      "Requires-Dist: numpy>=1.20\n");
  EXPECT_EQ(md.dynamic, (std::vector<std::string>{"obsoletes-dist", "requires-external"}));
  EXPECT_TRUE(md.is_dynamic("OBSOLETES-DIST"));
  EXPECT_TRUE(md.dependencies_are_static());
}

TEST(Samples, Version2_3NormalisedExtras) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 2.3\n"
      "Name: beaglevote\n"
      "Version: 1.0\n"
      "Provides-Extra: pdf\n"
      "Provides-Extra: dev-tools\n"
      "Requires-Dist: reportlab; extra == 'pdf'\n"
      "Requires-Dist: black; extra == 'dev_tools'\n");
  EXPECT_EQ(md.provides_extra, (std::vector<std::string>{"pdf", "dev-tools"}));
  ASSERT_EQ(md.requires_dist.size(), 2u);
  MarkerEnv env;
  EXPECT_TRUE(md.requires_dist[1].marker->evaluate(env, "dev-tools"));
  EXPECT_FALSE(md.requires_dist[1].marker->evaluate(env, "pdf"));
}

TEST(Samples, Version2_4Licenses) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 2.4\n"
      "Name: BeagleVote\n"
      "Version: 1.0\n"
      "License-Expression: MIT AND (Apache-2.0 OR BSD-2-Clause)\n"
      "License-File: LICENSE.txt\n"
      "License-File: licenses/LICENSE.MIT\n"
      "Requires-Python: >=3.9\n");
  EXPECT_EQ(md.all("license-expression")[0], "MIT AND (Apache-2.0 OR BSD-2-Clause)");
  EXPECT_EQ(md.all("License-File"), (std::vector<std::string_view>{"LICENSE.txt", "licenses/LICENSE.MIT"}));
  EXPECT_TRUE(md.dependencies_are_static());
  EXPECT_EQ(md.requires_python.str(), ">=3.9");
}

// requests-2.31.0.dist-info/METADATA, abridged (classifiers and body shortened), with CRLF line
// breaks and a BOM to exercise both in a realistic document.
constexpr std::string_view kRequests =
    "\xEF\xBB\xBF"
    "Metadata-Version: 2.1\r\n"
    "Name: requests\r\n"
    "Version: 2.31.0\r\n"
    "Summary: Python HTTP for Humans.\r\n"
    "Home-page: https://requests.readthedocs.io\r\n"
    "Author: Kenneth Reitz\r\n"
    "Author-email: me@kennethreitz.org\r\n"
    "License: Apache 2.0\r\n"
    "Project-URL: Documentation, https://requests.readthedocs.io\r\n"
    "Project-URL: Source, https://github.com/psf/requests\r\n"
    "Classifier: Development Status :: 5 - Production/Stable\r\n"
    "Classifier: License :: OSI Approved :: Apache Software License\r\n"
    "Classifier: Programming Language :: Python :: 3 :: Only\r\n"
    "Requires-Python: >=3.7\r\n"
    "Description-Content-Type: text/markdown\r\n"
    "License-File: LICENSE\r\n"
    "Requires-Dist: charset-normalizer (<4,>=2)\r\n"
    "Requires-Dist: idna (<4,>=2.5)\r\n"
    "Requires-Dist: urllib3 (<3,>=1.21.1)\r\n"
    "Requires-Dist: certifi (>=2017.4.17)\r\n"
    "Provides-Extra: security\r\n"
    "Provides-Extra: socks\r\n"
    "Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'\r\n"
    "Provides-Extra: use_chardet_on_py3\r\n"
    "Requires-Dist: chardet (<6,>=3.0.2) ; extra == 'use_chardet_on_py3'\r\n"
    "\r\n"
    "# Requests\r\n"
    "\r\n"
    "**Requests** is a simple, yet elegant, HTTP library.\r\n";

TEST(Samples, RequestsWheelMetadata) {
  CoreMetadata md = CoreMetadata::parse(kRequests);
  EXPECT_EQ(md.metadata_version, "2.1");
  EXPECT_EQ(md.name, "requests");
  EXPECT_EQ(md.version, Version::parse("2.31.0"));
  EXPECT_EQ(md.summary, "Python HTTP for Humans.");
  EXPECT_EQ(md.requires_python.str(), ">=3.7");
  EXPECT_EQ(md.provides_extra, (std::vector<std::string>{"security", "socks", "use-chardet-on-py3"}));
  EXPECT_EQ(req_strings(md), (std::vector<std::string>{
                                 "charset-normalizer<4,>=2",
                                 "idna<4,>=2.5",
                                 "urllib3<3,>=1.21.1",
                                 "certifi>=2017.4.17",
                                 "PySocks!=1.5.7,>=1.5.6; extra == \"socks\"",
                                 "chardet<6,>=3.0.2; extra == \"use-chardet-on-py3\"",
                             }));
  // Unconditional dependencies have no marker; the extras' ones mention `extra`.
  int unconditional = 0;
  for (const auto& r : md.requires_dist)
    if (!r.marker) ++unconditional;
  EXPECT_EQ(unconditional, 4);
  EXPECT_TRUE(md.requires_dist[5].marker->mentions_extra());
  MarkerEnv env;
  EXPECT_TRUE(md.requires_dist[5].marker->evaluate(env, "use-chardet-on-py3"));
  EXPECT_TRUE(md.requires_dist[4].marker->evaluate(env, "SOCKS"));
  EXPECT_FALSE(md.requires_dist[4].marker->evaluate(env, ""));
  EXPECT_EQ(md.all("Project-URL"), (std::vector<std::string_view>{"Documentation, https://requests.readthedocs.io",
                                                                   "Source, https://github.com/psf/requests"}));
  EXPECT_EQ(md.fields.front().first, "Metadata-Version");
  EXPECT_EQ(md.fields.size(), 25u);
  EXPECT_EQ(md.description, "# Requests\n\n**Requests** is a simple, yet elegant, HTTP library.\n");
  EXPECT_FALSE(md.dependencies_are_static());  // 2.1 predates Dynamic
}

}  // namespace
}  // namespace thoth
