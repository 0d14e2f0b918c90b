/** Special educational needs: the DfE school census primary (and secondary) type of need codes. */
import type { CodeListSource } from './code-list-source';

/** The list the codes below are of. */
export const SEN_NEED_LIST: CodeListSource = {
  collectionYear: '2025/26',
  source: 'DfE school census (Common Basic Data Set): SEN type of need (primary and secondary)',
};

export const SEN_NEEDS: Readonly<Record<string, string>> = {
  SPLD: 'Specific learning difficulty',
  MLD: 'Moderate learning difficulty',
  SLD: 'Severe learning difficulty',
  PMLD: 'Profound and multiple learning difficulty',
  SEMH: 'Social, emotional and mental health',
  SLCN: 'Speech, language and communication needs',
  HI: 'Hearing impairment',
  VI: 'Vision impairment',
  MSI: 'Multi-sensory impairment',
  PD: 'Physical disability',
  ASD: 'Autistic spectrum disorder',
  OTH: 'Other difficulty or disability',
  NSA: 'SEN support but no specialist assessment of type of need',
};

/** The need's meaning, or 'Unknown code (XX)' for a code not in the list. */
export function senNeedLabel(code: string): string {
  return Object.hasOwn(SEN_NEEDS, code) ? SEN_NEEDS[code] : `Unknown code (${code})`;
}
