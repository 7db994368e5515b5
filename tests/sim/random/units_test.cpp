// Tests for sim/random/units.cpp: durations and bandwidths written with units.
#include "sim/random/units.hpp"

#include <doctest/doctest.h>

using doctest::Approx;
using psim::sim::parse_bandwidth;
using psim::sim::parse_duration;

TEST_SUITE("sim.units") {

TEST_CASE("a plain number is a duration in seconds") {
  CHECK(parse_duration("2").value() == 2.0);
  CHECK(parse_duration("0").value() == 0.0);
  CHECK(parse_duration("1.5").value() == 1.5);
  CHECK(parse_duration(".5").value() == 0.5);
  CHECK(parse_duration("2e-3").value() == Approx(0.002));
  CHECK(parse_duration("1E2").value() == 100.0);
}

TEST_CASE("every duration unit scales to seconds") {
  CHECK(parse_duration("250us").value() == 0.00025);
  CHECK(parse_duration("250\xc2\xb5s").value() == 0.00025);
  CHECK(parse_duration("30ns").value() == Approx(30e-9));
  CHECK(parse_duration("10ms").value() == Approx(0.01));
  CHECK(parse_duration("1.5s").value() == 1.5);
  CHECK(parse_duration("2min").value() == 120.0);
  CHECK(parse_duration("1h").value() == 3600.0);
  CHECK(parse_duration("0.5h").value() == 1800.0);
  CHECK(parse_duration("2e3ms").value() == Approx(2.0));
}

TEST_CASE("spaces may stand between the number and the unit") {
  CHECK(parse_duration("10 ms").value() == Approx(0.01));
  CHECK(parse_duration(" 3 s ").value() == 3.0);
  CHECK(parse_bandwidth("125 MB/s").value() == 125e6);
}

TEST_CASE("malformed or negative durations are rejected") {
  CHECK_FALSE(parse_duration("-1s"));
  CHECK_FALSE(parse_duration("-1"));
  CHECK_FALSE(parse_duration("10 parsecs"));
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("   "));
  CHECK_FALSE(parse_duration("ms"));
  CHECK_FALSE(parse_duration("1.2.3s"));
  CHECK_FALSE(parse_duration("5e"));
  CHECK_FALSE(parse_duration("inf"));
  CHECK_FALSE(parse_duration("nan"));
  CHECK_FALSE(parse_duration("1 m s"));
  CHECK_FALSE(parse_duration("10MB/s"));
}

TEST_CASE("a plain number is a bandwidth in bytes per second") {
  CHECK(parse_bandwidth("800").value() == 800.0);
  CHECK(parse_bandwidth("1.25e8").value() == 1.25e8);
}

TEST_CASE("SI byte units are powers of ten") {
  CHECK(parse_bandwidth("800B/s").value() == 800.0);
  CHECK(parse_bandwidth("2kB/s").value() == 2e3);
  CHECK(parse_bandwidth("2KB/s").value() == 2e3);
  CHECK(parse_bandwidth("125MB/s").value() == 125e6);
  CHECK(parse_bandwidth("1.5GB/s").value() == Approx(1.5e9));
  CHECK(parse_bandwidth("2TB/s").value() == 2e12);
}

TEST_CASE("binary byte units are powers of two") {
  CHECK(parse_bandwidth("10KiB/s").value() == 10240.0);
  CHECK(parse_bandwidth("1MiB/s").value() == 1048576.0);
  CHECK(parse_bandwidth("1GiB/s").value() == 1073741824.0);
  CHECK(parse_bandwidth("1TiB/s").value() == 1099511627776.0);
}

TEST_CASE("bit units divide by eight") {
  CHECK(parse_bandwidth("800bit/s").value() == 100.0);
  CHECK(parse_bandwidth("8kbit/s").value() == 1000.0);
  CHECK(parse_bandwidth("8Kbit/s").value() == 1000.0);
  CHECK(parse_bandwidth("100Mbit/s").value() == Approx(12.5e6));
  CHECK(parse_bandwidth("1Gbit/s").value() == 125e6);
  CHECK(parse_bandwidth("10Tbit/s").value() == Approx(1.25e12));
}

TEST_CASE("zero, negative or malformed bandwidths are rejected") {
  CHECK_FALSE(parse_bandwidth("0"));
  CHECK_FALSE(parse_bandwidth("0MB/s"));
  CHECK_FALSE(parse_bandwidth("-5MB/s"));
  CHECK_FALSE(parse_bandwidth(""));
  CHECK_FALSE(parse_bandwidth("MB/s"));
  CHECK_FALSE(parse_bandwidth("10 parsecs"));
  CHECK_FALSE(parse_bandwidth("10mb/s"));
  CHECK_FALSE(parse_bandwidth("10ms"));
  CHECK_FALSE(parse_bandwidth("inf"));
}

}
