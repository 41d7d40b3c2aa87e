// Requirements files as pip reads them (every option, continuations, comments, ${VAR}, encodings) from
// any bytes, as requirements and as constraints. Files the input includes (-r/-c) are served from
// memory: "more.txt" holds a fixed line, the input itself is "r.txt" (so -r r.txt is a cycle), and every
// other name is missing; nothing is read from disk.
#include <map>
#include <string>

#include "fuzz_target.hpp"
#include "thoth/inputs.hpp"

THOTH_FUZZ_TARGET(requirements_file) {
  const std::string top = "/fuzz/r.txt";
  auto reader = [&](const std::string& path) -> std::string {
    if (path == top) return std::string(data);
    if (path == "/fuzz/more.txt") return "six==1.16.0 --hash=sha256:" + std::string(64, 'a') + "\n";
    throw thoth::InputError("cannot open requirements file " + path);
  };
  auto environ = [](std::string_view name) -> std::optional<std::string> {
    static const std::map<std::string, std::string, std::less<>> env = {
        {"HOME", "/home/user"}, {"TOKEN", "s3cr3t"}, {"EMPTY", ""}, {"NL", "a\nb"}};
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  for (bool constraint : {false, true}) {
    thoth::fuzz::expect_error_or_value([&] {
      thoth::RequirementsParser parser(reader, environ);
      thoth::RequirementSet set;
      parser.parse_file(top, constraint, set);
      for (const auto& r : set.requirements) (void)r.requirement.str();
    });
  }
  thoth::fuzz::expect_error_or_value([&] {
    thoth::BinaryPolicy policy;
    thoth::apply_binary_option(policy, data, true);
    (void)policy.wheels_allowed("six");
  });
}
