/**
 * Published national figures to compare a cohort with: a reference table kept in code, with
 * its version and source, so a report says exactly which figures it was compared with. Update
 * it (and the version) when the DfE publishes newer figures.
 */
import type { MeasureKey } from './measures';

export interface NationalFigure {
  measure: MeasureKey;
  /** The results year. */
  year: string;
  /** Children looked after nationally, or null when not published for that year. */
  lookedAfter: number | null;
  allPupils: number | null;
}

export interface NationalReference {
  version: string;
  source: string;
  figures: readonly NationalFigure[];
}

export const NATIONAL_COMPARISON: NationalReference = {
  version: '2019-dfe-adhoc+2024-ks2',
  source:
    'DfE ad hoc statistics, outcomes for children looked after, 2019 (KS2 reading, writing and ' +
    'maths at the expected standard; KS4 Attainment 8; English and maths grade 5 or above); ' +
    'DfE key stage 2 attainment, 2024 (all pupils, reading, writing and maths at the expected ' +
    'standard). As quoted in the CLA Graph domain reference.',
  figures: [
    { measure: 'KS2_RWM_EXPECTED', year: '2019', lookedAfter: 37, allPupils: 65 },
    { measure: 'KS2_RWM_EXPECTED', year: '2024', lookedAfter: null, allPupils: 61 },
    { measure: 'KS4_ATTAINMENT_8', year: '2019', lookedAfter: 19.1, allPupils: 46.7 },
    { measure: 'KS4_ENGLISH_MATHS_5_PLUS', year: '2019', lookedAfter: 7.2, allPupils: 43.2 },
  ],
};
