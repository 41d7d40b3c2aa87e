// libcurl, loaded when the first transfer needs the network rather than when thoth starts: libcurl
// and the libraries it pulls in (TLS, HTTP/2, IDN, PSL, SSH, LDAP, Kerberos: some thirty) take
// several milliseconds to load and relocate, more than a whole warm resolution from the cache.
// Every curl call of the net module goes through curl_api(); the headers are still libcurl's own.
#pragma once

#include <curl/curl.h>

namespace thoth::net {

struct CurlApi {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL* easy, CURLoption option, ...);
  CURLcode (*easy_getinfo)(CURL* easy, CURLINFO info, ...);
  void (*easy_cleanup)(CURL* easy);
  const char* (*easy_strerror)(CURLcode code);
  curl_slist* (*slist_append)(curl_slist* list, const char* text);
  void (*slist_free_all)(curl_slist* list);
  CURLM* (*multi_init)();
  CURLMcode (*multi_setopt)(CURLM* multi, CURLMoption option, ...);
  CURLMcode (*multi_add_handle)(CURLM* multi, CURL* easy);
  CURLMcode (*multi_remove_handle)(CURLM* multi, CURL* easy);
  CURLMcode (*multi_perform)(CURLM* multi, int* running);
  CURLMcode (*multi_poll)(CURLM* multi, curl_waitfd extra[], unsigned count, int timeout_ms, int* ready);
  CURLMcode (*multi_wakeup)(CURLM* multi);
  CURLMcode (*multi_timeout)(CURLM* multi, long* timeout_ms);
  CURLMsg* (*multi_info_read)(CURLM* multi, int* left);
  CURLMcode (*multi_cleanup)(CURLM* multi);
  curl_version_info_data* (*version_info)(CURLversion stamp);
  // The running library's version (0xXXYYZZ), which may be older than the headers thoth was built with.
  unsigned version_num = 0;
};

// libcurl's functions, the library loaded (and curl_global_init run) on the first call, once per
// process and thread-safely. Throws NetError when libcurl cannot be loaded.
const CurlApi& curl_api();

// Limits `easy` to http and https, on redirects too, with the options a libcurl of `version_num` has:
// CURLOPT_PROTOCOLS_STR from 7.85 on (which deprecates the bitmask), CURLOPT_PROTOCOLS before. CURLE_OK,
// or the error that setting them gave.
CURLcode restrict_to_http(CURL* easy, unsigned version_num);

}  // namespace thoth::net
