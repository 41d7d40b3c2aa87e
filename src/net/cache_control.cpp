#include "net/cache_control.hpp"


#include <charconv>
#include <string>

#include "net/headers.hpp"
#include "net/url.hpp"
#include "base/ascii.hpp"
#include "base/trim.hpp"

namespace thoth::net {

CacheControl parse_cache_control(const Headers& headers) {
  CacheControl cc;
  for (const auto& [name, value] : headers) {
    if (name != "cache-control") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = base::trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      const auto eq = item.find('=');
      const std::string directive = base::ascii_lower(base::trim(item.substr(0, eq)));
      std::string_view arg = eq == std::string_view::npos ? std::string_view() : base::trim(item.substr(eq + 1));
      if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') arg = arg.substr(1, arg.size() - 2);
      if (directive == "no-store") {
        cc.no_store = true;
      } else if (directive == "no-cache") {
        // §5.2.2.4: a qualified no-cache (with field names) still allows reuse of the rest; treating
        // it as unqualified only costs a revalidation.
        cc.no_cache = true;
      } else if (directive == "max-age") {
        std::int64_t seconds = 0;
        const auto [ptr, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), seconds);
        // §1.2.2: a delta-seconds too large to represent is taken as "very large"; a malformed one
        // makes the response stale (§4.2.1), which revalidation handles safely.
        if (ec == std::errc::result_out_of_range) {
          cc.max_age = INT64_C(2147483648);
        } else if (ec == std::errc() && ptr == arg.data() + arg.size() && seconds >= 0) {
          cc.max_age = seconds;
        } else {
          cc.max_age = 0;
        }
      }
    }
  }
  return cc;
}

}  // namespace thoth::net
