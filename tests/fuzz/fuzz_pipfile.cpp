// Pipfiles from any text, and the requirements of every category they give (as `thoth pipenv lock`
// reads them).
#include "fuzz_target.hpp"
#include "thoth/pipfile.hpp"

THOTH_FUZZ_TARGET(pipfile) {
  const thoth::EnvironLookup environ = [](std::string_view name) -> std::optional<std::string> {
    if (name == "TOKEN") return "s3cr3t";
    return std::nullopt;
  };
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Pipfile pipfile = thoth::read_pipfile(data, "/fuzz/Pipfile");
    thoth::fuzz::expect_error_or_value([&] {
      const thoth::RequirementSet set = thoth::pipfile_requirements(pipfile, {"default", "develop", "docs"}, environ);
      for (const auto& r : set.requirements) (void)r.requirement.str();
    });
    (void)thoth::pipfile_index_options(pipfile, environ);
  });
}
