/**
 * The development issuer's key pair, generated at first use and kept under the data
 * directory (never in the repo), so `npm start` and `npm run token` agree on it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

export const DEV_ISSUER_ALGORITHM = 'ES256';

export interface DevIssuerKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

export async function generateDevIssuerKey(): Promise<DevIssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair(DEV_ISSUER_ALGORITHM, {
    extractable: true,
  });
  const kid = randomUUID();
  return {
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: DEV_ISSUER_ALGORITHM, use: 'sig' },
  };
}

export async function loadOrCreateDevIssuerKey(dataDir: string): Promise<DevIssuerKey> {
  const file = path.join(dataDir, 'dev-issuer', 'signing-key.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
    const privateKey = (await importJWK(stored.privateJwk, DEV_ISSUER_ALGORITHM)) as KeyLike;
    const { d: _private, ...publicJwk } = stored.privateJwk;
    return {
      kid: stored.kid,
      privateKey,
      publicJwk: { ...publicJwk, kid: stored.kid, alg: DEV_ISSUER_ALGORITHM, use: 'sig' },
    };
  }
  const key = await generateDevIssuerKey();
  mkdirSync(path.dirname(file), { recursive: true });
  const stored: StoredKey = { kid: key.kid, privateJwk: await exportJWK(key.privateKey) };
  writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  return key;
}
