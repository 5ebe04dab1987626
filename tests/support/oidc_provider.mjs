// A real OpenID Connect provider (npm `oidc-provider`) for tests, on loopback.
// Configuration comes as JSON in OIDC_TEST_CONFIG:
//   {"port": 0-65535, "clients": [{client_id, client_secret, redirect_uris}],
//    "accounts": {"<login>": {claims...}}}
// The built-in development login form accepts any login; the account's claims
// are those given for that login. Prints "READY <issuer>" when listening.
import Provider from "oidc-provider";

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    ...client,
  })),
  claims: {
    openid: ["sub"],
    profile: ["name"],
    national_id: ["national_id"],
    staff: ["roles", "commune_codes", "programme_ids", "preferred_username"],
  },
  scopes: ["openid", "profile", "national_id", "staff"],
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...(config.accounts[id] || {}) }),
  }),
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["test-only-cookie-key"] },
});
provider.proxy = false;

const server = provider.listen(config.port, "127.0.0.1", () => {
  process.stdout.write(`READY ${issuer}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
