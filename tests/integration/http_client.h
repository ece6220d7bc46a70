#pragma once

// A small blocking HTTP/1.1 client for the gateway tests (Boost.Beast), and a reader of
// Server-Sent Events frames.

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reciproca::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline HttpReply HttpFetch(int port, boost::beast::http::verb method, const std::string& target,
                           const std::string& body = "",
                           std::map<std::string, std::string> headers = {}) {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                static_cast<unsigned short>(port)));
  bhttp::request<bhttp::string_body> request{method, target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  if (!body.empty() && !headers.count("Content-Type")) {
    request.set(bhttp::field::content_type, "application/json");
  }
  request.body() = body;
  request.prepare_payload();
  bhttp::write(stream, request);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  bhttp::read(stream, buffer, parser);
  auto response = parser.release();
  HttpReply reply;
  reply.status = response.result_int();
  for (const auto& field : response) {
    reply.headers[field.name_string().to_string()] = field.value().to_string();
  }
  reply.body = response.body();
  beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  return reply;
}

inline HttpReply HttpPost(int port, const std::string& target, const std::string& json,
                          const std::string& token) {
  std::map<std::string, std::string> headers;
  if (!token.empty()) {
    headers["Authorization"] = "Bearer " + token;
  }
  return HttpFetch(port, boost::beast::http::verb::post, target, json, headers);
}

struct SseFrame {
  std::string id;
  std::string event;
  std::string data;
};

// An open GET /api/events: the response head, then frames as they come. A `receive_buffer`
// above 0 is the socket's SO_RCVBUF, set before it connects (a client that stops reading then
// holds little: the server's writes stall early).
class SseReader {
 public:
  SseReader(int port, const std::string& target, const std::string& token,
            std::map<std::string, std::string> headers = {}, int receive_buffer = 0)
      : stream_(io_) {
    if (receive_buffer > 0) {
      stream_.socket().open(boost::asio::ip::tcp::v4());
      stream_.socket().set_option(boost::asio::socket_base::receive_buffer_size(receive_buffer));
    }
    stream_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                   static_cast<unsigned short>(port)));
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.empty()) {
      request += "Authorization: Bearer " + token + "\r\n";
    }
    for (const auto& [name, value] : headers) {
      request += name + ": " + value + "\r\n";
    }
    request += "\r\n";
    boost::asio::write(stream_, boost::asio::buffer(request));
    head_ = ReadUntil("\r\n\r\n", std::chrono::steady_clock::now() + std::chrono::seconds(10))
                .value_or("");
  }

  const std::string& head() const { return head_; }
  // The server closed the connection (a read reached its end).
  bool ended() const { return ended_; }

  // The next frame (comments and "retry:" lines skipped); nullopt when the stream ends or
  // nothing comes within `timeout`.
  std::optional<SseFrame> Next(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto block = ReadUntil("\n\n", deadline);
      if (!block) {
        return std::nullopt;
      }
      SseFrame frame;
      size_t start = 0;
      while (start < block->size()) {
        size_t end = block->find('\n', start);
        if (end == std::string::npos) end = block->size();
        const std::string line = block->substr(start, end - start);
        start = end + 1;
        const auto colon = line.find(": ");
        if (colon == std::string::npos) continue;
        const std::string key = line.substr(0, colon);
        const std::string value = line.substr(colon + 2);
        if (key == "id") frame.id = value;
        if (key == "event") frame.event = value;
        if (key == "data") frame.data = value;
      }
      if (!frame.event.empty()) {
        return frame;
      }
    }
  }

  // The next frame other than the server's time frames, within `timeout` in all.
  std::optional<SseFrame> NextEvent(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      auto frame = Next(left);
      if (!frame || frame->event != "time") {
        return frame;
      }
    }
    return std::nullopt;
  }

 private:
  // Reads through `delimiter`; nullopt at the deadline or the end of the stream.
  std::optional<std::string> ReadUntil(const std::string& delimiter,
                                       std::chrono::steady_clock::time_point deadline) {
    std::optional<size_t> read;
    bool finished = false;
    boost::asio::async_read_until(stream_, buffer_, delimiter,
                                  [&](boost::system::error_code ec, size_t n) {
                                    finished = true;
                                    if (!ec) read = n;
                                    if (ec == boost::asio::error::eof) ended_ = true;
                                  });
    io_.restart();
    io_.run_until(deadline);
    if (!finished) {
      stream_.socket().cancel();
      io_.restart();
      io_.run();
    }
    if (!read) {
      return std::nullopt;
    }
    std::string out(static_cast<const char*>(buffer_.data().data()), *read);
    buffer_.consume(*read);
    return out;
  }

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::asio::streambuf buffer_;
  std::string head_;
  bool ended_ = false;
};

}  // namespace reciproca::testing
