// Bytes that several holders share and nobody changes: a string that is owned, or part of a file mapped
// read-only (a cache entry's annex, an index page's parsed listing read in place rather than copied).
// Copies share the owner; the bytes live as long as the last copy.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace thoth {

class SharedBytes {
 public:
  SharedBytes() = default;
  explicit SharedBytes(std::string bytes) {
    auto owned = std::make_shared<const std::string>(std::move(bytes));
    view_ = *owned;
    owner_ = std::move(owned);
  }
  // `view` must stay valid as long as `owner` lives.
  SharedBytes(std::shared_ptr<const void> owner, std::string_view view) : owner_(std::move(owner)), view_(view) {}

  std::string_view view() const { return view_; }
  const char* data() const { return view_.data(); }
  std::size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  // The same owner, a part of the bytes.
  SharedBytes substr(std::size_t pos, std::size_t n) const { return SharedBytes(owner_, view_.substr(pos, n)); }

 private:
  std::shared_ptr<const void> owner_;
  std::string_view view_;
};

}  // namespace thoth
