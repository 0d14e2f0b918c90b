/**
 * Names of the local authorities our children are most often placed in (this authority and
 * its neighbours), by their 3-digit DfE code. A small table on purpose: an unknown code gets
 * a neutral name rather than an error, since a child may be placed anywhere in the country.
 */

import type { CodeListSource } from './code-list-source';

/** The list the names below are of (the DfE's 3-digit local authority numbers). */
export const LOCAL_AUTHORITY_LIST: CodeListSource = {
  collectionYear: '2025-26',
  source: 'DfE local authority numbers and names (Get Information about Schools), 2025-26',
};

export interface LocalAuthority {
  code: string;
  name: string;
}

export const LOCAL_AUTHORITY_NAMES: Readonly<Record<string, string>> = {
  '340': 'Knowsley',
  '341': 'Liverpool',
  '342': 'St Helens',
  '343': 'Sefton',
  '344': 'Wirral',
  '350': 'Bolton',
  '358': 'Trafford',
  '877': 'Warrington',
  '359': 'Wigan',
};

/** "Knowsley" for 340; "Local authority 999" for a code the table does not hold. */
export function localAuthorityName(code: string): string {
  return Object.prototype.hasOwnProperty.call(LOCAL_AUTHORITY_NAMES, code)
    ? (LOCAL_AUTHORITY_NAMES[code] as string)
    : `Local authority ${code}`;
}

export function localAuthority(code: string): LocalAuthority {
  return { code, name: localAuthorityName(code) };
}
