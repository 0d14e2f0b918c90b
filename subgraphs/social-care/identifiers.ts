/** The social care system's identifiers: the shared definitions, and the id argument checked. */
import { isChildId } from '../../domain/identifiers';
import { badUserInput } from '../../lib/errors';

export { isChildId, isUpn } from '../../domain/identifiers';

/** The id, checked: anything but 7 digits is the caller's mistake, not an unknown child. */
export function childIdArgument(value: unknown): string {
  const id = typeof value === 'number' ? String(value) : value;
  if (!isChildId(id)) {
    throw badUserInput('A child id is 7 digits, e.g. "1000001".');
  }
  return id;
}
