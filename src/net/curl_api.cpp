#include "net/curl_api.hpp"

#include <string>

#include "thoth/dynamic_library.hpp"
#include "thoth/net.hpp"

namespace thoth::net {
namespace {

// The soname of libcurl's ABI 4 (every libcurl since 7.16), as Debian's libcurl4 installs it.
constexpr const char* kLibrary = "libcurl.so.4";

CurlApi load() {
  void* lib = dl::open_or_throw<NetError>(kLibrary, "libcurl4 (Debian) or libcurl (RPM)", NetError::Kind::connection);
  CurlApi api{};
  std::string missing;
  dl::bind(lib, api.global_init, "curl_global_init", missing);
  dl::bind(lib, api.easy_init, "curl_easy_init", missing);
  dl::bind(lib, api.easy_setopt, "curl_easy_setopt", missing);
  dl::bind(lib, api.easy_getinfo, "curl_easy_getinfo", missing);
  dl::bind(lib, api.easy_cleanup, "curl_easy_cleanup", missing);
  dl::bind(lib, api.easy_strerror, "curl_easy_strerror", missing);
  dl::bind(lib, api.slist_append, "curl_slist_append", missing);
  dl::bind(lib, api.slist_free_all, "curl_slist_free_all", missing);
  dl::bind(lib, api.multi_init, "curl_multi_init", missing);
  dl::bind(lib, api.multi_setopt, "curl_multi_setopt", missing);
  dl::bind(lib, api.multi_add_handle, "curl_multi_add_handle", missing);
  dl::bind(lib, api.multi_remove_handle, "curl_multi_remove_handle", missing);
  dl::bind(lib, api.multi_perform, "curl_multi_perform", missing);
  dl::bind(lib, api.multi_poll, "curl_multi_poll", missing);
  dl::bind(lib, api.multi_wakeup, "curl_multi_wakeup", missing);
  dl::bind(lib, api.multi_timeout, "curl_multi_timeout", missing);
  dl::bind(lib, api.multi_info_read, "curl_multi_info_read", missing);
  dl::bind(lib, api.multi_cleanup, "curl_multi_cleanup", missing);
  dl::bind(lib, api.version_info, "curl_version_info", missing);
  if (!missing.empty()) {
    throw NetError(std::string(kLibrary) + " lacks " + missing + ": thoth needs libcurl 7.68 or newer",
                   NetError::Kind::connection);
  }
  // Process-wide, once, never undone (other code in the process may use curl too).
  if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    throw NetError("cannot initialise libcurl", NetError::Kind::connection);
  }
  if (const curl_version_info_data* info = api.version_info(CURLVERSION_NOW)) api.version_num = info->version_num;
  return api;
}

}  // namespace

const CurlApi& curl_api() {
  // A function-local static: initialised once, thread-safely; a throw leaves it to be tried again.
  static const CurlApi api = load();
  return api;
}

CURLcode restrict_to_http(CURL* easy, unsigned version_num) {
  constexpr unsigned kProtocolsStr = 0x075500;  // 7.85.0
  const CurlApi& curl = curl_api();
  if (version_num >= kProtocolsStr) {
    CURLcode code = curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    if (code == CURLE_OK) code = curl.easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    return code;
  }
  // The bitmask options still work in later versions; their headers only mark them deprecated.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  constexpr long kHttp = CURLPROTO_HTTP | CURLPROTO_HTTPS;
  CURLcode code = curl.easy_setopt(easy, CURLOPT_PROTOCOLS, kHttp);
  if (code == CURLE_OK) code = curl.easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS, kHttp);
#pragma GCC diagnostic pop
  return code;
}

}  // namespace thoth::net
