/**
 * Reasons for a suspension or permanent exclusion, as the DfE school census collects them
 * (the list in use since 2020/21). A record carries up to three.
 */
import type { CodeListSource } from './code-list-source';

/** The list: the school census reasons, unchanged since 2020/21, the list for 2025/26. */
export const EXCLUSION_REASON_LIST: CodeListSource = {
  collectionYear: '2025/26',
  source:
    'DfE school census (Common Basic Data Set): reason for suspension or permanent exclusion ' +
    '(list in use since 2020/21); DfE suspension and permanent exclusion guidance (August 2024)',
};

export const EXCLUSION_REASONS: Readonly<Record<string, string>> = {
  PP: 'Physical assault against a pupil',
  PA: 'Physical assault against an adult',
  VP: 'Verbal abuse or threatening behaviour against a pupil',
  VA: 'Verbal abuse or threatening behaviour against an adult',
  OW: 'Use or threat of use of an offensive weapon or prohibited item',
  BU: 'Bullying',
  RA: 'Racist abuse',
  LG: 'Abuse against sexual orientation or gender identity',
  DS: 'Abuse relating to disability',
  SM: 'Sexual misconduct',
  DA: 'Drug and alcohol related',
  DM: 'Damage to property',
  TH: 'Theft',
  MT: 'Inappropriate use of social media or online technology',
  PH: 'Wilful and repeated transgression of protective measures in place to protect public health',
  DB: 'Persistent or general disruptive behaviour',
};

/** The reason's meaning, or 'Unknown code (XX)' for a code not in the list. */
export function exclusionReasonLabel(code: string): string {
  return Object.hasOwn(EXCLUSION_REASONS, code)
    ? EXCLUSION_REASONS[code]
    : `Unknown code (${code})`;
}
