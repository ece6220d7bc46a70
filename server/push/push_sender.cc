#include "server/push/push_sender.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace reciproca::push {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

struct Target {
  std::string host;
  std::string port = "443";
  std::string path = "/";
};

bool ParseHttpsUrl(const std::string& url, Target* out) {
  constexpr std::string_view kScheme = "https://";
  if (url.rfind(kScheme, 0) != 0) {
    return false;
  }
  const size_t authority_start = kScheme.size();
  const size_t path_start = url.find('/', authority_start);
  std::string authority = url.substr(authority_start, path_start - authority_start);
  if (path_start != std::string::npos) {
    out->path = url.substr(path_start);
  }
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) {
      return false;
    }
    out->host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      out->port = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.rfind(':');
    out->host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      out->port = authority.substr(colon + 1);
    }
  }
  return !out->host.empty() && !out->port.empty();
}

}  // namespace

PushResponse PushSender::Post(const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body) const {
  Target target;
  if (!ParseHttpsUrl(url, &target)) {
    return {0, "not an https URL"};
  }
  try {
    boost::asio::io_context io;
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_default_verify_paths();
    if (!extra_ca_file_.empty()) {
      ctx.load_verify_file(extra_ca_file_);
    }
    ctx.set_verify_mode(ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
    // Verification of the name: an IP address against the certificate's IP entries, a host name
    // against its DNS names (and sent as SNI).
    boost::system::error_code not_ip;
    boost::asio::ip::make_address(target.host, not_ip);
    X509_VERIFY_PARAM* param = SSL_get0_param(stream.native_handle());
    if (!not_ip) {
      X509_VERIFY_PARAM_set1_ip_asc(param, target.host.c_str());
    } else {
      X509_VERIFY_PARAM_set1_host(param, target.host.c_str(), 0);
      SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str());
    }
    tcp::resolver resolver(io);
    beast::get_lowest_layer(stream).expires_after(deadline_);
    beast::get_lowest_layer(stream).connect(resolver.resolve(target.host, target.port));
    stream.handshake(ssl::stream_base::client);

    http::request<http::string_body> request{http::verb::post, target.path, 11};
    request.set(http::field::host, target.host);
    request.set(http::field::user_agent, "reciprocad");
    for (const auto& [name, value] : headers) {
      request.set(name, value);
    }
    request.body() = body;
    request.prepare_payload();
    http::write(stream, request);

    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    PushResponse answer{static_cast<int>(response.result_int()), ""};
    if (auto retry = response.find(http::field::retry_after); retry != response.end()) {
      answer.detail = "Retry-After " + std::string(retry->value());
    }
    beast::error_code ignored;
    stream.shutdown(ignored);
    return answer;
  } catch (const std::exception& e) {
    return {0, e.what()};
  }
}

}  // namespace reciproca::push
