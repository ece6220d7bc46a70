// A Web Push service for tests, on https://127.0.0.1:<port>, that checks what reciprocad sends
// with implementations independent of the server's OpenSSL code: npm's http_ece decrypts each
// message (RFC 8291 / RFC 8188 aes128gcm) and jose verifies its VAPID JWT (RFC 8292).
//
//   node push_endpoint.mjs CERT KEY RECEIVED_FILE MODE...
//
// Makes one browser subscription per MODE (its P-256 key pair and auth secret made here): "ok"
// answers 201, "gone" 410 to every push, "flaky" 500 to its first push and 201 after. Prints
// {"port": N, "subscriptions": [{mode, endpoint, p256dh, auth}, ...]} on one line once
// listening. Each POST /push/<id> is decrypted, checked and appended to RECEIVED_FILE as one
// JSON line: {mode, status, payload, vapidKey, aud, exp, sub, ttl, urgency} or {mode, status:
// 400, error} when a check failed.
import https from 'node:https';
import crypto from 'node:crypto';
import fs from 'node:fs';
import * as ece from 'http_ece';
import { importJWK, jwtVerify } from 'jose';

const [certFile, keyFile, receivedFile, ...modes] = process.argv.slice(2);
if (!certFile || !keyFile || !receivedFile || modes.length === 0) {
  console.error('usage: node push_endpoint.mjs CERT KEY RECEIVED_FILE MODE...');
  process.exit(2);
}

const subscriptions = new Map();  // id -> {mode, ecdh, auth, pushes}
let origin = '';

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// The VAPID public key of "k=" as a JWK jose can verify with.
async function vapidKey(k) {
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  return importJWK({
    kty: 'EC', crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33).toString('base64url'),
  }, 'ES256');
}

async function check(req, body, sub) {
  if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding is not aes128gcm');
  const ttl = Number(req.headers.ttl);
  if (!Number.isInteger(ttl) || ttl < 0) throw new Error('no TTL header');
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(req.headers.authorization || '');
  if (!m) throw new Error(`Authorization is not "vapid t=..., k=...": ${req.headers.authorization}`);
  const { payload: claims, protectedHeader } = await jwtVerify(m[1], await vapidKey(m[2]), {
    algorithms: ['ES256'], audience: origin,
  });
  const now = Math.floor(Date.now() / 1000);
  if (protectedHeader.typ !== 'JWT') throw new Error('JWT typ is not JWT');
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error(`exp not within 24 h: ${claims.exp}`);
  if (!/^(mailto:|https:)/.test(claims.sub || '')) throw new Error(`sub is not mailto: or https: ${claims.sub}`);
  const plaintext = ece.decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: sub.auth });
  return {
    payload: JSON.parse(plaintext.toString('utf8')),
    vapidKey: m[2], aud: claims.aud, exp: claims.exp, sub: claims.sub, ttl,
    urgency: req.headers.urgency || '',
  };
}

const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
  async (req, res) => {
    const url = new URL(req.url, origin);
    try {
      const push = /^\/push\/([\w-]+)$/.exec(url.pathname);
      if (req.method === 'POST' && push) {
        const body = await readBody(req);
        const sub = subscriptions.get(push[1]);
        if (!sub) {
          res.writeHead(404);
          return res.end();
        }
        sub.pushes += 1;
        let status = 201;
        if (sub.mode === 'gone') status = 410;
        if (sub.mode === 'flaky' && sub.pushes === 1) status = 500;
        const entry = { mode: sub.mode, status };
        try {
          Object.assign(entry, await check(req, body, sub));
        } catch (e) {
          entry.error = String(e && e.message || e);
          entry.status = status = 400;
        }
        fs.appendFileSync(receivedFile, JSON.stringify(entry) + '\n');
        res.writeHead(status);
        return res.end();
      }
      res.writeHead(404);
      res.end();
    } catch (e) {
      res.writeHead(500);
      res.end(String(e));
    }
  });

server.listen(0, '127.0.0.1', () => {
  origin = `https://127.0.0.1:${server.address().port}`;
  const made = modes.map((mode) => {
    const id = crypto.randomBytes(12).toString('base64url');
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = crypto.randomBytes(16);
    subscriptions.set(id, { mode, ecdh, auth, pushes: 0 });
    return {
      mode, endpoint: `${origin}/push/${id}`,
      p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url'),
    };
  });
  process.stdout.write(JSON.stringify({ port: server.address().port, subscriptions: made }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
