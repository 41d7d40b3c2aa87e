// Pipfile.lock files from any text, reading the default and develop categories with ${VAR} expansion in
// the source URLs.
#include "lock_checks.hpp"

THOTH_FUZZ_TARGET(pipfile_lock) {
  const thoth::EnvironLookup environ = [](std::string_view name) -> std::optional<std::string> {
    if (name == "TOKEN") return "s3cr3t";
    return std::nullopt;
  };
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Lock lock = thoth::read_pipfile_lock(data, "Pipfile.lock", {"default", "develop"}, environ);
    thoth::fuzz::touch_lock(lock);
    thoth::fuzz::check_written(lock);
  });
}
