/**
 * The directory's development seed: one SYNTHETIC Virtual School entry for every authority
 * the code list names (domain/codes/local-authorities.ts). Nothing here is a real person or a
 * real contact: names are invented, e-mail addresses are under `example.gov.uk` (a reserved
 * name that delivers nowhere), and telephone numbers are in Ofcom's ranges kept for drama
 * (01632 960000 to 960999), which are never allocated. A real deployment replaces each entry
 * through `updateVirtualSchoolContact`, naming its real source.
 */
import { LOCAL_AUTHORITY_NAMES } from '../../domain/codes/local-authorities';
import type { SeedVirtualSchool } from './types';

/** What every seeded entry says it came from. */
export const SYNTHETIC_SOURCE =
  'Synthetic development data seeded by CLA Graph: not a real Virtual School contact';

const FORENAMES = ['Alex', 'Jordan', 'Sam', 'Morgan', 'Robin', 'Casey', 'Jamie', 'Taylor', 'Drew'];
const SURNAMES = ['Ashdown', 'Bramley', 'Calder', 'Dunmore', 'Ellery', 'Fenwick', 'Garside'];

/** "St Helens" -> "st-helens". */
export function laSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * One entry per authority, ordered by code, the same on every start. `recordedAt` is when the
 * seed says the entries were recorded (the seeded world's "today").
 */
export function syntheticVirtualSchools(recordedAt: string): SeedVirtualSchool[] {
  return Object.entries(LOCAL_AUTHORITY_NAMES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([laCode, name], index) => ({
      laCode,
      headName: `${FORENAMES[index % FORENAMES.length]} ${SURNAMES[index % SURNAMES.length]}`,
      email: `virtual.school@${laSlug(name)}.example.gov.uk`,
      // 01632 960000..960999: the authority's code makes each number its own.
      phone: `01632 960${laCode}`,
      source: SYNTHETIC_SOURCE,
      recordedAt,
    }));
}
