#pragma once

// Why a connection to reciprocad failed, when TLS may be the reason: the CLI opens a TLS
// connection of its own (OpenSSL, a few seconds at most) and looks at what the server and its
// certificate say. gRPC reports all of these as one "unavailable".

#include <string>

namespace reciproca::cli {

enum class TlsProbeResult {
  kHandshakeOk,   // TLS works: the failure is elsewhere
  kUntrusted,     // the certificate is not signed by a trusted authority
  kWrongName,     // the certificate does not name the host
  kNotTls,        // something answers, but not TLS
  kNoConnection,  // nothing answers at that address
};

struct TlsProbe {
  TlsProbeResult result = TlsProbeResult::kNoConnection;
  // OpenSSL's words for a verification failure ("unable to get local issuer certificate").
  std::string detail;
};

// A TLS handshake with `target` ("host:port"). `verify`: check the certificate against
// `root_pem` (PEM; the system's authorities when empty) and the host name; otherwise only
// whether the server speaks TLS at all.
TlsProbe ProbeTls(const std::string& target, const std::string& root_pem, bool verify);

}  // namespace reciproca::cli
