// Runs across real `psim node` processes on 127.0.0.1: scenarios/multi-node.toml on two
// nodes, a node killed, frozen or interrupted mid-run, a wrong secret, secrets that are
// refused, and every message type crossing a node boundary and back.
#include "tests/support/node_process.hpp"
#include "tests/support/expectations.hpp"
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <thread>

using namespace psim::test;

namespace {

const std::string secret = "remote-test-secret";

// The scenario these tests run, pointed at the test's nodes with --set.
const std::string scenario = "multi-node.toml";

// A file holding `text` as its first line, readable by its owner only.
std::string secret_file(const std::string& text) {
  auto file = temp_folder("secret") + "/secret";
  write_text(file, text + "\n");
  chmod(file.c_str(), 0600);
  return file;
}

// psim run scenarios/multi-node.toml on `nodes` with `extra` arguments.
std::string run_command(const std::string& dir, const std::string& nodes,
                        const std::string& extra = "") {
  return "run scenarios/" + scenario + " -o '" + dir + "' --quiet --secret-file '"
         + secret_file(secret) + "' --set 'deployment.nodes=[" + nodes + "]' " + extra;
}

std::string quoted(const node_process& n) {
  return "\"" + n.address() + "\"";
}

double number(const nlohmann::ordered_json& x) {
  return x.get<double>();
}

// Waits at most `limit` for `dir`/metrics.csv to hold `rows` rows; true if it did.
bool wait_for_rows(const std::string& dir, std::size_t rows, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto text = read_text(dir + "/metrics.csv");
    if (static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) > rows)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20)); // polling a file
  }
  return false;
}

} // namespace

TEST_SUITE("scenarios.remote") {

TEST_CASE("multi-node.toml: workers on two nodes converge as a local run does") {
  node_process a{secret}, b{secret};
  auto dir = temp_folder("remote");
  auto r = run_psim(run_command(dir, quoted(a) + "," + quoted(b)));
  CAPTURE(r.err);
  CAPTURE(a.errors());
  REQUIRE(r.code == 0);
  auto s = read_summary(dir);
  CHECK(s["stopped_by"] == "updates");
  CHECK(s["clock"] == "real");
  CHECK(number(s["version"]) == 1500);
  auto rows = read_metrics(dir);
  REQUIRE(rows.size() > 2);
  CHECK(std::stod(rows.front()["train_loss"]) > 1.0);
  CHECK(number(s["final"]["train_loss"]) < 0.02);
  REQUIRE(s["workers"].size() == 4);
  for (std::size_t w = 0; w < 4; ++w) {
    CHECK(s["workers"][w]["node"] == (w % 2 == 0 ? a.address() : b.address()));
    CHECK(number(s["workers"][w]["gradients"]) > 100);
  }
  check_conservation(s["gradients"]);
  // The nodes stay up and serve the next run.
  auto again = run_psim(run_command(temp_folder("remote"), quoted(b) + "," + quoted(a)));
  CHECK(again.code == 0);
}

// Runs multi-node.toml for 4000 updates on `a` and `b`, and does `fail` to `b` once the
// run is under way; returns the run folder.
template <class Fail>
std::string run_and_fail(node_process& a, node_process& b, Fail fail) {
  auto dir = temp_folder("remote");
  auto cmd = "cd '" PSIM_SOURCE_DIR "' && exec '" PSIM_BINARY "' "
             + run_command(dir, quoted(a) + "," + quoted(b),
                           "--set 'run.stop={updates=4000, wall=60}'")
             + " >'" + dir + "/out' 2>'" + dir + "/err' </dev/null";
  pid_t coordinator = fork();
  if (coordinator == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  REQUIRE(wait_for_rows(dir, 8, std::chrono::seconds(30)));
  fail(b);
  int status = 0;
  waitpid(coordinator, &status, 0);
  CAPTURE(read_text(dir + "/err"));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(read_text(dir + "/err").find("node " + b.address() + " lost") != std::string::npos);
  return dir;
}

// The summary of a run that lost the node of workers 1 and 3 says so and adds up.
void check_lost_odd_workers(const std::string& dir) {
  auto s = read_summary(dir);
  CHECK(s["stopped_by"] == "updates");
  CHECK(number(s["version"]) == 4000);
  for (std::size_t w = 0; w < 4; ++w)
    CHECK(number(s["workers"][w]["crashes"]) == (w % 2 == 0 ? 0 : 1));
  CHECK(number(s["final"]["train_loss"]) < 0.02);
  check_conservation(s["gradients"]);
}

TEST_CASE("a node killed mid-run: its workers count as crashed, the run ends cleanly") {
  node_process a{secret}, b{secret};
  check_lost_odd_workers(run_and_fail(a, b, [](node_process& n) { n.kill_now(); }));
}

TEST_CASE("a frozen node is found by its missing heartbeats and counts as lost") {
  node_process a{secret}, b{secret};
  check_lost_odd_workers(run_and_fail(a, b, [](node_process& n) { n.freeze(); }));
}

TEST_CASE("Ctrl-C on a node mid-run: it stops its actors, the run counts them as lost") {
  node_process a{secret}, b{secret};
  auto dir = run_and_fail(a, b, [](node_process& n) { CHECK(n.interrupt() == 0); });
  check_lost_odd_workers(dir);
}

TEST_CASE("a wall stop while the actors are placed on nodes ends the run with a summary") {
  node_process a{secret}, b{secret};
  auto dir = temp_folder("remote");
  // The wall clock counts the connecting: 1 ms is gone before the first placement, so
  // no worker is placed, none reports, and the run still writes its summary.
  auto r = run_psim(run_command(dir, quoted(a) + "," + quoted(b),
                                "--set cluster.workers=20000 --set data.samples=20000 "
                                "--set 'run.stop={wall=0.001}'"));
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  auto s = read_summary(dir);
  CHECK(s["stopped_by"] == "wall");
  CHECK(number(s["version"]) == 0);
  CHECK(s["workers"].empty());
}

TEST_CASE("a wrong secret is refused before anything is spawned, with exit code 2") {
  node_process a{secret};
  auto dir = temp_folder("remote");
  auto r = run_psim("run scenarios/" + scenario + " -o '" + dir + "' --quiet --secret-file '"
                    + secret_file("not-the-secret-at-all") + "' --set 'deployment.nodes=["
                    + quoted(a) + "]'");
  CHECK(r.code == 2);
  CHECK(r.err.find("refused this coordinator: wrong secret") != std::string::npos);
  CHECK(a.errors().find("refused peer") != std::string::npos);
  CHECK(a.errors().find("admitted") == std::string::npos);
  CHECK(read_text(dir + "/metrics.csv").empty());
}

TEST_CASE("no secret at all is a usage error on the node and the coordinator") {
  auto r = run_psim("node --listen 127.0.0.1:0 --secret-file /nonexistent/secret");
  CHECK(r.code == 2);
  CHECK(r.err.find("cannot read the secret file") != std::string::npos);
}

TEST_CASE("a secret file others can read, or a short secret, is refused with the fix") {
  auto file = temp_folder("secret") + "/secret";
  write_text(file, "a-long-enough-secret-for-psim\n");
  chmod(file.c_str(), 0644);
  auto r = run_psim("node --listen 127.0.0.1:0 --secret-file '" + file + "'");
  CHECK(r.code == 2);
  CHECK(r.err.find("can be read by group or others (mode 644); make it private with: chmod "
                   "600 " + file)
        != std::string::npos);
  auto run = run_psim("run scenarios/" + scenario + " --quiet --secret-file '" + file + "'");
  CHECK(run.code == 2);
  CHECK(run.err.find("chmod 600") != std::string::npos);
  auto short_file = secret_file("short");
  r = run_psim("node --listen 127.0.0.1:0 --secret-file '" + short_file + "'");
  CHECK(r.code == 2);
  CHECK(r.err.find("is 5 bytes long; at least 16 are needed: make one with head -c 32 "
                   "/dev/urandom | base64")
        != std::string::npos);
}

TEST_CASE("plain TCP beyond loopback needs --insecure, and says why") {
  setenv("PSIM_SECRET", secret.c_str(), 1);
  auto r = run_psim("node --listen 0.0.0.0:0");
  unsetenv("PSIM_SECRET");
  CHECK(r.code == 2);
  CHECK(r.err.find("listening beyond this machine without TLS") != std::string::npos);
  CHECK(r.err.find("up to 4 GiB") != std::string::npos);
  CHECK(r.err.find("or --insecure on a network you trust") != std::string::npos);
}

TEST_CASE("every registered message type crosses a real node boundary and comes back") {
  node_process a{secret};
  setenv("PSIM_SECRET", secret.c_str(), 1);
  auto r = run_psim("node --check " + a.address());
  unsetenv("PSIM_SECRET");
  CAPTURE(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("all 21 message types crossed and came back unchanged") != std::string::npos);
}

TEST_CASE("over TLS: a run goes through with certificates, a peer without one is refused") {
  // tools/install-deps installs the openssl command that makes the test certificates.
  REQUIRE(std::system("command -v openssl >/dev/null 2>&1") == 0);
  auto dir = temp_folder("tls");
  auto make = "cd '" + dir + "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key "
              "-out ca.pem -days 2 -subj /CN=psim-test-ca && for n in node coord; do "
              "openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj /CN=$n && "
              "openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
              "-out $n.pem -days 2; done >/dev/null 2>&1";
  REQUIRE(std::system(make.c_str()) == 0);
  auto tls = [&](const std::string& who) {
    return "--tls-cert '" + dir + "/" + who + ".pem' --tls-key '" + dir + "/" + who
           + ".key' --tls-ca '" + dir + "/ca.pem'";
  };
  node_process a{secret, {"--tls-cert", dir + "/node.pem", "--tls-key", dir + "/node.key",
                          "--tls-ca", dir + "/ca.pem"}};
  auto run_dir = temp_folder("remote");
  auto r = run_psim(run_command(run_dir, quoted(a), tls("coord")));
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  auto s = read_summary(run_dir);
  CHECK(s["workers"][3]["node"] == a.address());
  CHECK(number(s["final"]["train_loss"]) < 0.02);
  auto plain = run_psim(run_command(temp_folder("remote"), quoted(a)));
  CHECK(plain.code == 2);
  CHECK(plain.err.find("cannot connect to the psim node") != std::string::npos);
  auto half = run_psim(run_command(temp_folder("remote"), quoted(a),
                                   "--tls-ca '" + dir + "/ca.pem'"));
  CHECK(half.code == 2);
  CHECK(half.err.find("TLS needs --tls-cert, --tls-key and --tls-ca") != std::string::npos);
}

TEST_CASE("[deployment] needs the real clock") {
  auto dir = temp_folder("remote");
  write_text(dir + "/s.toml", "[run]\nclock = \"virtual\"\n\n[deployment]\n"
                              "nodes = [\"127.0.0.1:7001\"]\n");
  auto r = run_psim("check '" + dir + "/s.toml'");
  CHECK(r.code == 2);
  CHECK(r.err.find("s.toml:4:1: deployment: [deployment] places actors on psim nodes, which "
                   "needs run.clock = \"real\"")
        != std::string::npos);
  write_text(dir + "/t.toml", "[run]\nclock = \"real\"\n\n[deployment]\n"
                              "nodes = [\"127.0.0.1:7001\"]\nplacement = { \"server-*\" = 3 }\n");
  r = run_psim("check '" + dir + "/t.toml'");
  CHECK(r.code == 2);
  CHECK(r.err.find("deployment.placement.server-*: found 3; allowed: a node index in [0, 0]")
        != std::string::npos);
}

}
