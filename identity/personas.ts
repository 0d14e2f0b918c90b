/**
 * The development personas: someone (or some system) who calls CLA Graph, as the development
 * issuer mints their tokens. The seed (`simulators/seed/`) binds each to synthetic data so
 * their rules are observable; identity needs only who they are.
 */

export const PERSONA_NAMES = [
  'vsh',
  'vs-officer',
  'social-worker',
  'designated-teacher',
  'teacher-ntk',
  'teacher',
  'governor',
  'analyst',
  'finance-officer',
  'placing-authority',
  'auditor',
] as const;
export type PersonaName = (typeof PERSONA_NAMES)[number];

/** Someone (or some system) who calls CLA Graph, bound to seeded data so their rules are observable. */
export interface Persona {
  name: PersonaName;
  /** Directory id: a staff id shared with the system that employs them, or a client id. */
  sub: string;
  displayName: string;
  roles: string[];
  /** Code of the authority the caller works for. */
  la: string;
  /** School URNs, for school staff. */
  urns: string[];
  /** One line on who they are and what they should see. */
  description: string;
}
