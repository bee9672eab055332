// The attributes Lookout gives the hello route's SERVER span when the request starts
// (src/tracing/http/server-requests.ts), for the decision scripts that make such spans without a
// server (lean-server-span.mjs, span-export-cost.mjs). A new object per call: spans take it over.
export function helloServerSpanAttributes() {
  return {
    'http.request.method': 'GET',
    'url.scheme': 'http',
    'url.path': '/hello/world',
    'network.protocol.version': '1.1',
    'client.address': '127.0.0.1',
    'server.address': '127.0.0.1',
    'server.port': 3000,
    'user_agent.original': 'autocannon',
  };
}
