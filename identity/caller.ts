/**
 * Who is calling: the identity the gateway verified, in the shape every rule reads.
 * Roles are the ones in `shared/spec/access.md`; any other role in a token is dropped
 * (deny by default: an unknown role grants nothing).
 */
export const ROLES = [
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
  'designated-teacher',
  'teacher',
  'governor',
  'analyst',
  'finance-officer',
  'placing-authority',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  /** Directory id of the person, or the client id of a system. */
  sub: string;
  roles: Role[];
  /** Code of the authority the caller works for. */
  la: string;
  /** School URNs, for school staff. */
  urns: string[];
  /** The OAuth client the token was issued to, when the token says. */
  clientId: string | null;
}

const ROLE_SET = new Set<string>(ROLES);

export function knownRoles(value: unknown): Role[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return [
    ...new Set(list.filter((role): role is Role => typeof role === 'string' && ROLE_SET.has(role))),
  ];
}

export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export const hasRole = (caller: Caller, ...roles: Role[]): boolean =>
  caller.roles.some((role) => roles.includes(role));
