// A real OpenID provider (oidc-provider) on loopback and the app signed in through it: the
// provider's port first (the app needs its issuer), then the app, then the provider configured
// with the app's redirect URI. Accounts are whoever logs in (devInteractions), `<sub>@example.test`.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { startApp, type App } from "./app";

export const CLIENT = { id: "l9-state-health", secret: "a-client-secret-for-tests" };

export const listen = (srv: http.Server, host = "127.0.0.1") =>
  new Promise<number>((resolve) => srv.listen(0, host, () => resolve((srv.address() as AddressInfo).port)));

export async function startAppWithOidc(
  env: Record<string, string>,
): Promise<{ app: App; issuer: string; close: () => Promise<void> }> {
  const idp = http.createServer();
  const issuer = `http://127.0.0.1:${await listen(idp)}`;
  const app = await startApp({
    ...env,
    L9_OIDC_ISSUER: issuer,
    L9_OIDC_CLIENT_ID: CLIENT.id,
    L9_OIDC_CLIENT_SECRET: CLIENT.secret,
  });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [`${app.url}/api/auth/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email"], profile: ["name"] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@example.test`, name: sub.toUpperCase() }),
    }),
    features: { devInteractions: { enabled: true } },
  });
  idp.on("request", provider.callback());
  return {
    app,
    issuer,
    close: async () => {
      idp.close();
      await app.stop();
    },
  };
}
