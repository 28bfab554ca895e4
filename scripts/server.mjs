// The production server: Next's request handler behind a plain Node HTTP server, so the
// TCP peer address can be handed to route handlers (ingest is loopback-only without a
// token). Any client-sent x-l9-peer header is overwritten.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// PORT and HOSTNAME come validated from lib/env.ts through npm start (or a test's harness).
const port = Number(process.env.PORT);
const hostname = process.env.HOSTNAME;
if (!Number.isInteger(port) || !hostname) {
  console.error("scripts/server.mjs is started by npm start, which sets PORT and HOSTNAME");
  process.exit(2);
}
// Every request's x-l9-peer is overwritten below, so lib/env.ts may trust it.
process.env.L9_PEER_HEADER_TRUSTED = "1";

const app = next({ dev: false, dir: root, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const server = http.createServer((req, res) => {
  req.headers["x-l9-peer"] = req.socket.remoteAddress ?? "";
  handle(req, res).catch((err) => {
    console.error("[server] request failed", err);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end('{"error":{"code":"internal","message":"internal error"}}');
  });
});
server.listen(port, hostname, () => {
  console.log(`L9 State Health listening on http://${hostname}:${port}`);
});
const shutdown = () => {
  server.close();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
