#include "client/cli/tls_probe.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <memory>

namespace reciproca::cli {
namespace {

constexpr int kTimeoutSeconds = 3;

struct Free {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
  void operator()(SSL* p) const { SSL_free(p); }
  void operator()(BIO* p) const { BIO_free_all(p); }
};

bool LoadRoots(SSL_CTX* ctx, const std::string& pem) {
  if (pem.empty()) {
    return SSL_CTX_set_default_verify_paths(ctx) == 1;
  }
  std::unique_ptr<BIO, Free> in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int loaded = 0;
  while (X509* cert = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr)) {
    loaded += X509_STORE_add_cert(store, cert);
    X509_free(cert);
  }
  ERR_clear_error();  // the end of the PEM reads as an error
  return loaded > 0;
}

// "host:port" → host, without IPv6 brackets.
std::string HostOf(const std::string& target) {
  std::string host = target.substr(0, target.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

TlsProbe ProbeTls(const std::string& target, const std::string& root_pem, bool verify) {
  TlsProbe probe;
  std::unique_ptr<SSL_CTX, Free> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx || (verify && !LoadRoots(ctx.get(), root_pem))) {
    return probe;
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  std::unique_ptr<BIO, Free> bio(BIO_new_connect(target.c_str()));
  if (!bio || BIO_set_nbio(bio.get(), 1) != 1 ||
      BIO_do_connect_retry(bio.get(), kTimeoutSeconds, 100) != 1) {
    return probe;  // kNoConnection
  }
  // Connected: a blocking socket with timeouts for the handshake.
  const int fd = static_cast<int>(BIO_get_fd(bio.get(), nullptr));
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  BIO_set_nbio(bio.get(), 0);
  timeval timeout{kTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);

  std::unique_ptr<SSL, Free> ssl(SSL_new(ctx.get()));
  const std::string host = HostOf(target);
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(host.c_str());
  const bool is_ip = ip != nullptr;
  ASN1_OCTET_STRING_free(ip);
  if (!is_ip) {
    SSL_set_tlsext_host_name(ssl.get(), host.c_str());
  }
  if (verify) {
    SSL_set_verify(ssl.get(), SSL_VERIFY_PEER, nullptr);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
    if (is_ip) {
      X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    } else {
      X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
    }
  }
  static const unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_set_alpn_protos(ssl.get(), kAlpn, sizeof kAlpn);
  SSL_set_bio(ssl.get(), bio.get(), bio.get());
  bio.release();  // owned by ssl now
  const bool ok = SSL_connect(ssl.get()) == 1;
  const long verified = SSL_get_verify_result(ssl.get());
  ERR_clear_error();
  if (ok) {
    probe.result = TlsProbeResult::kHandshakeOk;
  } else if (verify && verified != X509_V_OK) {
    probe.detail = X509_verify_cert_error_string(verified);
    probe.result =
        verified == X509_V_ERR_HOSTNAME_MISMATCH || verified == X509_V_ERR_IP_ADDRESS_MISMATCH
            ? TlsProbeResult::kWrongName
            : TlsProbeResult::kUntrusted;
  } else {
    probe.result = TlsProbeResult::kNotTls;
  }
  return probe;
}

}  // namespace reciproca::cli
