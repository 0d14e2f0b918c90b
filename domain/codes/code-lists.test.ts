/** Every code list in domain/codes names the collection year it is of and its source. */
import { ATTENDANCE_CODE_LIST } from './attendance';
import type { CodeListSource } from './code-list-source';
import { EXCLUSION_REASON_LIST } from './exclusions';
import { LOCAL_AUTHORITY_LIST } from './local-authorities';
import { SEN_NEED_LIST } from './sen';
import {
  CATEGORY_OF_NEED,
  ETHNICITY,
  LEGAL_STATUS,
  PLACEMENT_PROVIDER,
  PLACEMENT_TYPE,
  REASON_EPISODE_CEASED,
  REASON_NEW_EPISODE,
  REASON_PLACE_CHANGE,
} from './ssda903';

describe('code lists name their collection year and source', () => {
  it.each<[string, CodeListSource, RegExp]>([
    ['attendance (DfE codes from 19 August 2024)', ATTENDANCE_CODE_LIST, /^2025\/26$/],
    ['exclusion reasons', EXCLUSION_REASON_LIST, /^2025\/26$/],
    ['SEN type of need', SEN_NEED_LIST, /^2025\/26$/],
    ['local authorities', LOCAL_AUTHORITY_LIST, /^2025-26$/],
    ['903 LS', LEGAL_STATUS, /^2025-26$/],
    ['903 RNE', REASON_NEW_EPISODE, /^2025-26$/],
    ['903 CIN', CATEGORY_OF_NEED, /^2025-26$/],
    ['903 PLACE', PLACEMENT_TYPE, /^2025-26$/],
    ['903 PLACE_PROVIDER', PLACEMENT_PROVIDER, /^2025-26$/],
    ['903 REC', REASON_EPISODE_CEASED, /^2025-26$/],
    ['903 REASON_PLACE_CHANGE', REASON_PLACE_CHANGE, /^2025-26$/],
    ['903 ETHNIC', ETHNICITY, /^2025-26$/],
  ])('%s', (_name, list, year) => {
    expect(list.collectionYear).toMatch(year);
    expect(list.source).toMatch(/DfE/);
  });

  it('dates the attendance codes from 19 August 2024', () => {
    expect(ATTENDANCE_CODE_LIST.inForceFrom).toBe('2024-08-19');
  });
});
