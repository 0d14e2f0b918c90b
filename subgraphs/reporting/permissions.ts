/**
 * Who may call the reporting subgraph, on the shared rule library: analysts, governors and the
 * virtual school head. Which report each may have (a governor's own school only) is decided
 * with the filter in hand (access.ts). Deny by default; no entities here.
 */
import { allow, hasRole, subgraphShield } from '../../lib/authz/rules';

export const reportingPermissions = subgraphShield(
  {
    Query: { cohortReport: hasRole('analyst', 'governor', 'virtual-school-head') },
    // Reachable only through the guarded query; every figure in them passed disclosure control.
    CohortReport: allow,
    CohortCell: allow,
    CohortBand: allow,
    CohortMeasureFigures: allow,
    Figure: allow,
    DisclosureControl: allow,
    NationalComparison: allow,
    NationalFigure: allow,
    NationalMeasureComparison: allow,
    NationalValue: allow,
  },
  { entities: false },
);
