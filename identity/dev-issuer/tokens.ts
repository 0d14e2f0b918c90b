/** Minting development tokens shaped like the council's real ones (Entra ID app roles). */
import { SignJWT } from 'jose';
import type { Persona } from '../personas';
import { DEV_ISSUER_ALGORITHM, type DevIssuerKey } from './signing-key';

export interface MintOptions {
  issuer: string;
  audience: string;
  /** e.g. '1h' */
  expiresIn?: string;
}

export async function mintPersonaToken(
  key: DevIssuerKey,
  persona: Persona,
  options: MintOptions,
): Promise<string> {
  const isClient = persona.sub.startsWith('client:');
  return new SignJWT({
    roles: persona.roles,
    la: persona.la,
    ...(persona.urns.length > 0 ? { urn: persona.urns } : {}),
    ...(isClient ? { azp: persona.sub } : { name: persona.displayName }),
  })
    .setProtectedHeader({ alg: DEV_ISSUER_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setSubject(persona.sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(key.privateKey);
}

/** A token for the seeded persona of that name (the systems' and tests' `tokenFor`). */
export function personaTokens(
  key: DevIssuerKey,
  personas: readonly Persona[],
  options: MintOptions,
): (name: Persona['name']) => Promise<string> {
  return async (name) => {
    const persona = personas.find((candidate) => candidate.name === name);
    if (!persona) throw new Error(`No persona named ${name}`);
    return mintPersonaToken(key, persona, options);
  };
}
