// The real clock's lag histogram: exact buckets, quantiles within their bucket, an
// exact max, merging, the verdict on a run's lag, and summary.json's lag keys (real clock
// only).
#include "sim/output/lag_histogram.hpp"
#include "sim/output/summary.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using psim::sim::lag_histogram;

TEST_SUITE("sim.output.lag_histogram") {

TEST_CASE("buckets are exact below 8 ns and then four per power of two") {
  CHECK(lag_histogram::bucket_of(0) == 0);
  CHECK(lag_histogram::bucket_of(7) == 7);
  CHECK(lag_histogram::bucket_of(8) == 8);
  CHECK(lag_histogram::bucket_of(9) == 8);
  CHECK(lag_histogram::bucket_of(10) == 9);
  CHECK(lag_histogram::bucket_of(1000) == 4 * 8 + 3); // [896, 1024)
  CHECK(lag_histogram::lower_bound(35) == 896);
  CHECK(lag_histogram::upper_bound(35) == 1024);
  CHECK(lag_histogram::bucket_of(~0ull) == lag_histogram::buckets - 1);
  // Every value lies in its bucket's bounds.
  for (std::uint64_t v : {4ull, 5ull, 100ull, 125'000ull, 3'000'000'000ull}) {
    auto b = lag_histogram::bucket_of(v);
    CHECK(lag_histogram::lower_bound(b) <= v);
    CHECK(v < lag_histogram::upper_bound(b));
  }
}

TEST_CASE("p50 and p99 are the middles of the buckets holding those ranks; max is exact") {
  lag_histogram h;
  CHECK(!h.quantiles());
  h.enable();
  CHECK(!h.quantiles()); // enabled, nothing measured
  for (int i = 0; i < 98; ++i)
    h.add(1000);    // bucket [896, 1024): middle 959.5 ns
  h.add(100'000);   // bucket [98304, 114688)
  h.add(5'000'000); // bucket [4194304, 5242880), the max
  auto q = h.quantiles();
  REQUIRE(q);
  CHECK(q->events == 100);
  CHECK(q->p50 == doctest::Approx(959.5e-9).epsilon(1e-12));
  CHECK(q->p99 == doctest::Approx((98304.0 + 114687.0) / 2 / 1e9).epsilon(1e-12));
  CHECK(q->max == 5e-3);
}

TEST_CASE("merging adds counts and keeps the larger max; an empty histogram adds nothing") {
  lag_histogram a, b, total;
  a.enable();
  b.enable();
  a.add(10);
  b.add(20);
  b.add(3);
  total.merge(a.values());
  total.merge(b.values());
  total.merge({});
  auto q = total.quantiles();
  REQUIRE(q);
  CHECK(q->events == 3);
  CHECK(q->max == 20e-9);
  CHECK(q->p50 == doctest::Approx(10.5e-9)); // bucket [10, 12)
}

TEST_CASE("summary.json has lag only under the real clock") {
  psim::sim::run_summary s;
  s.clock = "virtual";
  CHECK(nlohmann::json::parse(psim::sim::summary_json(s)).count("lag") == 0);
  s.clock = "real";
  CHECK(nlohmann::json::parse(psim::sim::summary_json(s))["lag"].is_null());
  lag_histogram h;
  h.enable();
  h.add(2'000'000);
  s.lag = h.values();
  s.lag_reference_s = 1e-3;
  auto lag = nlohmann::json::parse(psim::sim::summary_json(s))["lag"];
  CHECK(lag["events"] == 1);
  CHECK(lag["max_s"].get<double>() == 2e-3);
  // The middle of its bucket [1835008, 2097152).
  CHECK(lag["p99_s"].get<double>() == doctest::Approx((1835008.0 + 2097151.0) / 2 / 1e9));
  CHECK(lag["reference_s"].get<double>() == 1e-3);
  CHECK(lag["verdict"] == "may_reorder"); // p99 above 1 ms, a run of no length
  s.time_s = 0.1;                         // 2 ms is above 1 % of it
  CHECK(nlohmann::json::parse(psim::sim::summary_json(s))["lag"]["verdict"] == "fell_behind");
}

TEST_CASE("the verdict: fell behind above 1 % of the run and the smallest duration, may "
          "reorder above the smallest duration alone, else on time") {
  using psim::sim::judge_lag;
  using psim::sim::lag_verdict;
  auto p99 = [](double s) { return psim::sim::lag_quantiles{100, s, s, s}; };
  // The shipped scenarios under the real clock here: p99 0.2-0.3 ms against 1 ms.
  CHECK(judge_lag(p99(0.3e-3), 3, 1e-3) == lag_verdict::on_time);
  CHECK(judge_lag(p99(1.2e-3), 3, 1e-3) == lag_verdict::may_reorder);
  CHECK(judge_lag(p99(29e-3), 3, 1e-3) == lag_verdict::may_reorder);
  CHECK(judge_lag(p99(31e-3), 3, 1e-3) == lag_verdict::fell_behind);
  CHECK(judge_lag(p99(1.2), 3, 1e-3) == lag_verdict::fell_behind);
  // A run shorter than 100 smallest durations is judged by the duration.
  CHECK(judge_lag(p99(0.9e-3), 0.05, 1e-3) == lag_verdict::on_time);
  CHECK(judge_lag(p99(1.2e-3), 0.1, 1e-3) == lag_verdict::fell_behind);
  // No modelled duration known (0): only the run's length judges.
  CHECK(judge_lag(p99(1e-3), 3, 0) == lag_verdict::on_time);
  CHECK(judge_lag(p99(0.1), 3, 0) == lag_verdict::fell_behind);
  CHECK(std::string{to_string(lag_verdict::fell_behind)} == "fell_behind");
}

} // TEST_SUITE
