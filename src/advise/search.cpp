// Hill climbing and annealing over complete resolutions (the algorithm is described in
// thoth/advise.hpp).
#include "advise/search.hpp"

#include <algorithm>
#include <cmath>

namespace thoth::advisor {
namespace {

constexpr std::size_t kMoveMemo = 4096;        // remembered move outcomes; forgotten all at once past it
constexpr double kFinalTemperature = 1e-3;     // T at the end of the budget, relative to T0

std::string stack_key(const Resolution& stack) {
  std::string key;
  for (const Pin& p : stack.pins) {
    if (!key.empty()) key += ' ';
    key += p.name + "==" + p.version.str();
  }
  return key;
}

std::uint64_t key_hash(std::string_view key) { return mix64(hash_text(key)); }

}  // namespace

void BestStacks::offer(const std::string& key, const Resolution& stack, const ScoredStack& scored, std::size_t age) {
  if (std::any_of(kept_.begin(), kept_.end(), [&](const Kept& k) { return k.key == key; })) return;
  auto pos = std::find_if(kept_.begin(), kept_.end(), [&](const Kept& k) {
    if (better(scored.total, k.scored.total)) return true;
    return !better(k.scored.total, scored.total) && age < k.age;  // equal scores: the newer stack first
  });
  if (static_cast<std::size_t>(pos - kept_.begin()) >= count_) return;
  kept_.insert(pos, Kept{key, stack, scored, age});
  if (kept_.size() > count_) kept_.pop_back();
}

Search::Search(const ResolveFn& resolve, const VersionsFn& versions, const Scorer& scorer, const SearchOptions& options,
               bool sieved)
    : resolve_(resolve),
      versions_(versions),
      scorer_(scorer),
      options_(options),
      sieved_(sieved),
      rng_(options.seed),
      started_(std::chrono::steady_clock::now()),
      stagnation_limit_(options.iterations ? std::clamp<std::size_t>(options.iterations / 10, 32, 256) : 128),
      best_(options.count) {}

std::optional<Resolution> resolve_or_nullopt(const ResolveFn& resolve, const Policy& policy) {
  try {
    return resolve(policy);
  } catch (const ResolutionError&) {
    return std::nullopt;
  }
}

std::optional<Resolution> Search::resolve(const Policy& policy) {
  ++stats_.resolutions;
  std::optional<Resolution> r = resolve_or_nullopt(resolve_, policy);
  if (!r) ++stats_.infeasible;
  return r;
}

const std::vector<Version>& Search::versions_of(const std::string& name) {
  auto it = versions_cache_.find(name);
  if (it != versions_cache_.end()) return it->second;
  std::vector<Version> list = versions_(name);
  if (sieved_) std::erase_if(list, [&](const Version& v) { return scorer_.forbids(name, v); });
  return versions_cache_.emplace(name, std::move(list)).first->second;
}

std::shared_ptr<const State> Search::visit(const Resolution& stack) {
  ScoredStack scored = scorer_.score(stack);
  auto state = std::make_shared<State>();
  State& s = *state;
  s.pins = choices_of(stack);
  s.score = scored.total;
  s.key = stack_key(stack);
  s.blame.assign(s.pins.size(), 0.0);
  auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
    auto it = std::lower_bound(s.pins.begin(), s.pins.end(), name, [](const Choice& c, const std::string& n) { return c.name < n; });
    if (it == s.pins.end() || it->name != name) return std::nullopt;
    return static_cast<std::size_t>(it - s.pins.begin());
  };
  for (std::size_t i = 0; i < scored.pins.size(); ++i) {
    for (const Effect& e : scored.pins[i].effects) {
      const double cost = (e.veto ? 1.0 : 0.0) + std::max(0.0, -e.score);
      if (cost == 0) continue;
      s.blame[i] += cost;
      if (!e.fact) continue;
      // A combination's cost is also on the packages of its conditions: moving any of them may end it.
      for (const Requirement& r : e.fact->with) {
        if (auto j = index_of(r.normalized_name())) s.blame[*j] += cost;
      }
    }
  }
  s.hash = key_hash(s.key);
  seen_.insert(s.hash);
  stats_.states = seen_.size();
  best_.offer(s.key, stack, scored, age(stack));
  return state;
}

std::size_t Search::age(const Resolution& stack) {
  std::size_t total = 0;
  for (const Pin& p : stack.pins) {
    const std::vector<Version>& list = versions_of(p.name);
    total += static_cast<std::size_t>(std::find(list.begin(), list.end(), p.version) - list.begin());
  }
  return total;
}

std::optional<std::size_t> Search::pick_version(const State& current, std::size_t pin, const std::vector<Version>& list) {
  const std::size_t n = list.size();
  const Choice& mine = current.pins[pin];
  // Where the current version is (or would be) in the newest-first list.
  const std::size_t c = static_cast<std::size_t>(
      std::lower_bound(list.begin(), list.end(), mine.version, [](const Version& a, const Version& b) { return a > b; }) -
      list.begin());
  const bool listed = c < n && list[c] == mine.version;
  if (n <= (listed ? 1u : 0u)) return std::nullopt;
  auto distance = [&](std::size_t k) { return k < c ? c - k : k - c + (listed ? 0 : 1); };

  if (scorer_.knows(mine.name) && rng_.chance(0.5)) {
    // A version whose steps score better, the nearer the likelier (weight 1 / distance).
    const StackScore now = scorer_.step_score(mine.name, mine.version);
    std::vector<std::pair<std::size_t, double>> improving;
    double total = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if ((listed && k == c) || !better(scorer_.step_score(mine.name, list[k]), now)) continue;
      improving.emplace_back(k, 1.0 / static_cast<double>(distance(k)));
      total += improving.back().second;
    }
    if (!improving.empty()) {
      double x = rng_.unit() * total;
      std::size_t i = 0;
      while (i + 1 < improving.size() && x >= improving[i].second) x -= improving[i++].second;
      return improving[i].first;
    }
  }
  std::size_t d = 1;
  while (d < n && rng_.chance(0.5)) ++d;
  const bool newer = rng_.chance(0.5);
  // Newer versions are at c - 1, c - 2, ...; older at c + 1, ... (or c, c + 1, ... when not listed).
  auto newer_at = [&](std::size_t dist) -> std::optional<std::size_t> {
    if (dist > c) return std::nullopt;
    return c - dist;
  };
  auto older_at = [&](std::size_t dist) -> std::optional<std::size_t> {
    std::size_t k = c + dist - (listed ? 0 : 1);
    if (k >= n) return std::nullopt;
    return k;
  };
  std::optional<std::size_t> k = newer ? newer_at(d) : older_at(d);
  if (!k) k = newer ? older_at(d) : newer_at(d);
  if (!k) {
    // Past both ends: the farthest version in the chosen direction, if there is one.
    const bool has_newer = c > 0;
    const bool has_older = listed ? c + 1 < n : c < n;
    k = (newer && has_newer) || !has_older ? 0 : n - 1;
  }
  return k;
}

std::optional<Search::Move> Search::pick_move(const State& current) {
  if (current.pins.empty()) return std::nullopt;
  std::vector<double> weights(current.pins.size());
  double total = 0;
  for (std::size_t i = 0; i < current.pins.size(); ++i) {
    const bool known = scorer_.knows(current.pins[i].name);
    weights[i] = 1.0 + (known ? 2.0 : 0.0) + 4.0 * std::min(current.blame[i], 4.0);
    total += weights[i];
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    double x = rng_.unit() * total;
    std::size_t i = 0;
    while (i + 1 < weights.size() && x >= weights[i]) x -= weights[i++];
    const std::vector<Version>& list = versions_of(current.pins[i].name);
    if (std::optional<std::size_t> k = pick_version(current, i, list)) return Move{i, list[*k]};
  }
  // Unlucky, or few packages have another version: the first one that does.
  for (std::size_t i = 0; i < current.pins.size(); ++i) {
    const std::vector<Version>& list = versions_of(current.pins[i].name);
    if (std::optional<std::size_t> k = pick_version(current, i, list)) return Move{i, list[*k]};
  }
  return std::nullopt;
}

std::shared_ptr<const State> Search::apply(const State& current, const Move& move) {
  const Choice& moved = current.pins[move.pin];
  // Only for remembering outcomes: a collision would only replay another move's valid outcome.
  const std::uint64_t h = mix64(current.hash ^ mix64(move.pin + 1)) ^ move.version.hash();
  if (auto it = moves_.find(h); it != moves_.end()) return it->second;
  StackPolicy policy(scorer_, sieved_, true, &current.pins, StackPolicy::Pinned{moved.name, move.version});
  std::optional<Resolution> r = resolve(policy);
  std::shared_ptr<const State> next = r ? visit(*r) : nullptr;
  if (moves_.size() >= kMoveMemo) moves_.clear();
  moves_.emplace(h, next);
  return next;
}

std::shared_ptr<const State> Search::greedy() {
  StackPolicy policy(scorer_, sieved_, true, nullptr, std::nullopt);
  std::optional<Resolution> r = resolve(policy);
  return r ? visit(*r) : nullptr;
}

std::shared_ptr<const State> Search::restart() {
  ++stats_.restarts;
  if (options_.method == SearchMethod::HillClimbing || stats_.restarts % 2 == 1) {
    ShufflePolicy shuffle(options_.seed, stats_.restarts, sieved_ ? &scorer_ : nullptr);
    if (std::optional<Resolution> r = resolve(shuffle)) return visit(*r);
  }
  if (best_.kept().empty()) return nullptr;
  return visit(best_.kept().front().stack);
}

double Search::progress() const {
  double p = 0;
  if (options_.iterations) p = static_cast<double>(stats_.iterations) / static_cast<double>(options_.iterations);
  if (options_.time.count()) {
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    p = std::max(p, elapsed.count() / static_cast<double>(options_.time.count()));
  }
  return std::min(p, 1.0);
}

bool Search::out_of_budget() const {
  if (options_.iterations && stats_.iterations >= options_.iterations) return true;
  return options_.time.count() && std::chrono::steady_clock::now() - started_ >= options_.time;
}

bool Search::optimal() const {
  const StackScore* best = best_.best();
  return best && best->vetoes == 0 && best->score >= scorer_.bound() - kScoreTolerance;
}

bool Search::accept(const State& current, const State& next) {
  if (next.score.vetoes != current.score.vetoes) return next.score.vetoes < current.score.vetoes;
  const double d = next.score.score - current.score.score;
  if (d >= -kScoreTolerance) return true;
  worse_sum_ += -d;
  ++worse_count_;
  if (options_.method == SearchMethod::HillClimbing) return false;
  const double t0 = worse_sum_ / static_cast<double>(worse_count_);
  const double t = t0 * std::pow(kFinalTemperature, progress());
  return rng_.unit() < std::exp(d / t);
}

void Search::run(const Resolution& start) {
  std::shared_ptr<const State> current = visit(start);
  if (options_.count == 1 && optimal()) {
    stats_.optimal = true;
  } else {
    StackScore best = current->score;
    std::size_t since_best = 0;
    while (!out_of_budget()) {
      std::shared_ptr<const State> next;
      if (stats_.iterations++ == 0) {
        next = greedy();
      } else {
        std::optional<Move> move = pick_move(*current);
        if (!move) break;  // no package has another version
        next = apply(*current, *move);
      }
      ++since_best;
      if (next) {
        if (better(next->score, best)) {
          best = next->score;
          since_best = 0;
        }
        if (accept(*current, *next)) current = next;
        if (options_.count == 1 && optimal()) {
          stats_.optimal = true;
          break;
        }
      }
      if (since_best >= stagnation_limit_) {
        since_best = 0;
        if (std::shared_ptr<const State> s = restart()) current = s;
      }
    }
  }
  stats_.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
}

}  // namespace thoth::advisor
