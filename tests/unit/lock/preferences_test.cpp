// Re-locking with an existing lock's pins as preferences (pip-compile's incremental model).
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace thoth {
namespace {

std::vector<Candidate> candidates(const std::vector<std::string>& versions) {
  std::vector<Candidate> out;
  for (const std::string& v : versions) out.push_back({"lib", Version::parse(v), {}});
  return out;
}

std::vector<const Candidate*> pointers(const std::vector<Candidate>& c) {
  std::vector<const Candidate*> out;
  for (const Candidate& x : c) out.push_back(&x);
  return out;
}

TEST(PinnedVersions, ReadsPinsSkipsDirectReferencesAndUpgrades) {
  Lock lock = read_requirements_lock(
      "alpha==1.0\n"
      "beta==2.0 ; python_version >= \"3.8\"\n"
      "beta==1.0 ; python_version < \"3.8\"\n"
      "direct @ https://files.example/direct-1.0-py3-none-any.whl\n"
      "Gamma_Lib==3.0\n",
      "requirements.txt");
  std::map<std::string, Version> pins = pinned_versions(lock, {});
  EXPECT_EQ(pins, (std::map<std::string, Version>{
                      {"alpha", Version::parse("1.0")}, {"beta", Version::parse("2.0")}, {"gamma-lib", Version::parse("3.0")}}));
  pins = pinned_versions(lock, {"alpha", "gamma-lib"});
  EXPECT_EQ(pins, (std::map<std::string, Version>{{"beta", Version::parse("2.0")}}));
}

TEST(PreferPinnedPolicy, PrefersThePinWhileItIsAcceptable) {
  PreferPinnedPolicy policy({{"lib", Version::parse("1.5")}});
  std::vector<Candidate> all = candidates({"2.0", "1.5", "1.0"});
  EXPECT_EQ(policy.choose("lib", pointers(all)), 1u);
  // "1.5.0" is the same version (PEP 440).
  PreferPinnedPolicy padded({{"lib", Version::parse("1.5.0")}});
  EXPECT_EQ(padded.choose("lib", pointers(all)), 1u);
  // Excluded by the inputs now: the newest acceptable version.
  std::vector<Candidate> newer = candidates({"2.0", "1.8"});
  EXPECT_EQ(policy.choose("lib", pointers(newer)), 0u);
  // Projects without a pin get the newest.
  EXPECT_EQ(policy.choose("other", pointers(all)), 0u);
}

}  // namespace
}  // namespace thoth
