// The request file pipenv hands its resolver (`thoth pipenv-resolver --request-file`), from any text.
#include "fuzz_target.hpp"
#include "thoth/pipenv_resolver.hpp"

THOTH_FUZZ_TARGET(pipenv_request) {
  thoth::fuzz::expect_error_or_value([&] { (void)thoth::parse_resolver_request(data); });
}
