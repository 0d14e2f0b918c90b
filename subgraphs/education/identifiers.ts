/** The education system's identifiers: the shared definitions (a school by URN, a pupil by UPN). */
export { isChildId, isUpn, isUrn } from '../../domain/identifiers';
