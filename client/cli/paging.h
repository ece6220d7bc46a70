#pragma once

// The one home of the CLI's paging loop: List calls return `next_page_token` until the last page,
// and the CLI follows it by itself (README: "The CLI paginates by itself").

#include <grpcpp/grpcpp.h>

#include <utility>

#include "client/cli/context.h"

namespace reciproca::cli {

// Follows the pages of a List call from `request` as given: `fetch(request, &page)` gets one page
// and returns false to stop (an error the caller tolerates); `take(page)` consumes it and returns
// false to stop early (a --limit reached). Ends after the page whose next_page_token is empty.
template <typename Response, typename Request, typename Fetch, typename Take>
void ForEachPage(Request request, Fetch&& fetch, Take&& take) {
  while (true) {
    Response page;
    if (!fetch(static_cast<const Request&>(request), &page) || !take(page) ||
        page.next_page_token().empty()) {
      return;
    }
    request.set_page_token(page.next_page_token());
  }
}

// ForEachPage through Context::Call: `rpc(client_context, request, &page)` is the stub's List
// method; a failed page throws RpcError (exit code 3, or 4 when unreachable).
template <typename Response, typename Request, typename Rpc, typename Take>
void ForEachPage(const Context& context, Request request, Rpc&& rpc, Take&& take) {
  ForEachPage<Response>(
      std::move(request),
      [&](const Request& page_request, Response* page) {
        context.Call([&](grpc::ClientContext* call) { return rpc(call, page_request, page); });
        return true;
      },
      std::forward<Take>(take));
}

}  // namespace reciproca::cli
