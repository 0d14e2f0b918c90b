/**
 * Who reads the pupils on a teacher's need-to-know list kept by UPN (issue 15), as shield
 * rules merged into the education subgraph's (deny by default), with their audit by UPN.
 */
import { auditMiddleware, fieldRules, type FieldCategories } from '../../../lib/audit/child-audit';
import { hasRole } from '../../../lib/authz/rules';
import type { NeedToKnowPupilShape } from './resolvers';

/**
 * What a teacher on the list reads (access.md): ID, the year group and the designated
 * teacher's contact (CLASSROOM), as for our children's `Child.yearGroup` and
 * `Child.designatedTeacher`.
 */
export const NEED_TO_KNOW_PUPIL_FIELDS: FieldCategories = {
  upn: 'ID',
  name: 'ID',
  yearGroup: 'CLASSROOM',
  designatedTeacher: 'CLASSROOM',
};

const pupilOf = (pupil: NeedToKnowPupilShape) => ({ upn: pupil.upn });

export const needToKnowPupilQueryRules = {
  // Teachers only: a designated teacher reads the whole roll (`School.lookedAfterPupils`); the
  // virtual school never sees other authorities' pupils.
  needToKnowPupils: hasRole('teacher'),
};

export const needToKnowPupilTypeRules = {
  NeedToKnowPupil: fieldRules('NeedToKnowPupil', NEED_TO_KNOW_PUPIL_FIELDS, pupilOf),
};

/** Each pupil's categories the request returned, logged under their UPN. */
export const needToKnowPupilAudit = auditMiddleware(
  'NeedToKnowPupil',
  NEED_TO_KNOW_PUPIL_FIELDS,
  pupilOf,
);
