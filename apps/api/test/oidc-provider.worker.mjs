// A real OpenID Provider (panva's certified `oidc-provider`, ESM-only) for the SSO integration
// tests, run in a worker thread so Jest's CommonJS runtime never loads it. In front of its token
// endpoint sits a small tampering step the test switches on by message: it re-signs the ID token
// with the provider's own key but a different audience or a past expiry, or signs it with another
// key (bad signature). workerData: { clientId, clientSecret, redirectUri, accounts }.
// Messages in: { account } (who logs in next), { mode }. Out: { ready, issuer }, { ack }.
import { createServer, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { exportJWK, generateKeyPair, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';

const { clientId, clientSecret, redirectUri, accounts } = workerData;
let nextAccount = null;
let mode = 'pass';

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const other = await generateKeyPair('RS256');

let provider;
const server = createServer((req, res) => {
  if (req.url?.startsWith('/token') && mode !== 'pass' && !req.headers['x-passthrough'])
    return tamper(req, res);
  if (req.url?.startsWith('/interaction/')) return interact(req, res);
  return provider.callback()(req, res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const issuer = `http://127.0.0.1:${port}`;

provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['oidc-provider-test-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Put the scope's claims in the ID token (the API reads them there).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, id) =>
    accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined,
});

/** Log in as the chosen account, and consent, without any page. */
async function interact(req, res) {
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: nextAccount } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({
          accountId: details.session.accountId,
          clientId: details.params.client_id,
        });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  } catch (e) {
    res.statusCode = 500;
    res.end(String(e));
  }
}

/** Forward to the real token endpoint, then change the ID token as `mode` says. */
function tamper(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const fwd = request(
      {
        host: '127.0.0.1',
        port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, 'x-passthrough': '1' },
      },
      (up) => {
        const got = [];
        up.on('data', (c) => got.push(c));
        up.on('end', async () => {
          const json = JSON.parse(Buffer.concat(got).toString('utf8'));
          if (json.id_token) {
            const claims = decodeJwt(json.id_token);
            const header = decodeProtectedHeader(json.id_token);
            let key = privateKey;
            if (mode === 'wrong_aud') claims.aud = 'someone-else';
            if (mode === 'expired') {
              claims.iat = Math.floor(Date.now() / 1000) - 7200;
              claims.exp = Math.floor(Date.now() / 1000) - 3600;
            }
            if (mode === 'bad_sig') key = other.privateKey;
            json.id_token = await new SignJWT(claims).setProtectedHeader(header).sign(key);
          }
          const out = JSON.stringify(json);
          res.writeHead(up.statusCode ?? 500, { 'content-type': 'application/json' });
          res.end(out);
        });
      },
    );
    fwd.end(body);
  });
}

parentPort.on('message', (m) => {
  if (m.account !== undefined) nextAccount = m.account;
  if (m.mode !== undefined) mode = m.mode;
  if (m.close) server.close();
  parentPort.postMessage({ ack: true });
});
parentPort.postMessage({ ready: true, issuer });
