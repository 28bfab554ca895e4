// A recording proxy on a unix socket in front of a real Docker daemon: every request the
// collector sends passes through it and is written down (method and path), streams included.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

export type RecordingProxy = {
  socketPath: string;
  requests: { method: string; path: string }[];
  close: () => Promise<void>;
};

export async function startRecordingProxy(targetSocket: string): Promise<RecordingProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-proxy-"));
  const socketPath = path.join(dir, "proxy.sock");
  const requests: { method: string; path: string }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "" });
    const upstream = http.request(
      { socketPath: targetSocket, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  return {
    socketPath,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          r();
        });
      }),
  };
}
