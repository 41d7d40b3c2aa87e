// config_settings_by_project (thoth/session.hpp): each requirement's -C items, by project, for its builds.
#include <gtest/gtest.h>

#include "thoth/session.hpp"

namespace thoth {
namespace {

UserRequirement requirement(const std::string& text, std::vector<std::string> settings, std::string origin = "",
                            int line = 0) {
  UserRequirement r;
  r.requirement = Requirement::parse(text);
  r.config_settings = std::move(settings);
  r.origin = std::move(origin);
  r.line = line;
  return r;
}

TEST(ConfigSettingsByProject, EachRequirementsOwnByNormalisedName) {
  RequirementSet set;
  set.requirements.push_back(requirement("Foo.Bar>=1", {"a=1", "a=2"}));
  set.requirements.push_back(requirement("plain", {}));
  set.requirements.push_back(requirement("other", {"k=v"}, "r.txt", 3));
  // The same dictionary again, keys in another order: one project, one build.
  set.requirements.push_back(requirement("foo-bar[x]", {"a=1", "a=2"}, "r.txt", 4));
  // Constraints never build anything.
  set.constraints.push_back(requirement("plain<2", {"c=d"}, "c.txt", 1));
  const auto by_project = config_settings_by_project(set);
  EXPECT_EQ(by_project, (std::map<std::string, std::vector<std::string>>{{"foo-bar", {"a=1", "a=2"}},
                                                                          {"other", {"k=v"}}}));
}

TEST(ConfigSettingsByProject, TwoDifferentSetsForOneProjectAreRefused) {
  RequirementSet set;
  set.requirements.push_back(requirement("foo", {"a=1", "b=2"}));
  set.requirements.push_back(requirement("Foo", {"b=2", "a=1"}, "r.txt", 2));
  EXPECT_NO_THROW(config_settings_by_project(set));
  set.requirements.push_back(requirement("foo==1", {"a=2"}, "r.txt", 7));
  try {
    config_settings_by_project(set);
    FAIL() << "no error";
  } catch (const SessionError& e) {
    EXPECT_EQ(std::string(e.what()), "r.txt:7: foo is given other --config-settings than on the command line; a "
                                     "project is built once: give its settings once");
  }
}

}  // namespace
}  // namespace thoth
