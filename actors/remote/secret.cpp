// What both sides of the node protocol need before they talk: the shared secret (kept
// private and long enough) and the TLS files (the middleman's settings: remoting.cpp).
#include "actors/remote/node.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace psim::actors {

namespace {

// Shorter secrets are refused: an HMAC is only as strong as its key.
constexpr std::size_t min_secret_bytes = 16;

// Throws unless only the owner may read `file`.
void check_private(const std::string& file) {
  struct stat info {};
  if (stat(file.c_str(), &info) != 0)
    throw secret_error("cannot read the secret file " + file);
  if ((info.st_mode & 077) != 0)
    throw secret_error(fmt::format("the secret file {} can be read by group or others (mode "
                                   "{:o}); make it private with: chmod 600 {}",
                                   file, info.st_mode & 0777, file));
}

} // namespace

std::string load_secret(const std::string& secret_file) {
  std::string secret;
  std::string source = "$PSIM_SECRET";
  if (!secret_file.empty()) {
    check_private(secret_file);
    std::ifstream in(secret_file);
    if (!in)
      throw secret_error("cannot read the secret file " + secret_file);
    std::getline(in, secret);
    if (secret.empty())
      throw secret_error("the secret file " + secret_file + " starts with an empty line");
    source = "the secret in " + secret_file;
  } else if (const char* env = std::getenv("PSIM_SECRET")) {
    secret = env;
  }
  if (secret.empty())
    throw secret_error("no shared secret: pass --secret-file FILE or set PSIM_SECRET "
                       "(the same on the nodes and the coordinator)");
  if (secret.size() < min_secret_bytes)
    throw secret_error(fmt::format("{} is {} bytes long; at least {} are needed: make one with "
                                   "head -c 32 /dev/urandom | base64",
                                   source, secret.size(), min_secret_bytes));
  return secret;
}

void check_tls_files(const tls_files& tls) {
  if (!tls.enabled())
    return;
  for (const auto& [option, file] : {std::pair{"--tls-cert", &tls.certificate},
                                     std::pair{"--tls-key", &tls.key},
                                     std::pair{"--tls-ca", &tls.ca}}) {
    if (file->empty())
      throw secret_error(fmt::format("TLS needs --tls-cert, --tls-key and --tls-ca; {} is "
                                     "missing",
                                     option));
    if (!std::ifstream(*file))
      throw secret_error(fmt::format("{}: cannot read {}", option, *file));
  }
}

std::string error_text(caf::actor_system& sys, const caf::error& e) {
  const auto& context = e.context();
  if (context.size() == 1 && context.match_element<std::string>(0))
    return context.get_as<std::string>(0);
  return sys.render(e);
}

} // namespace psim::actors
