/**
 * A completed PEP as a page a carer or a new school can read and print: plain HTML, its own
 * inline print styles (nothing fetched from anywhere), every value escaped. The child's name
 * and date of birth appear only when the reader's graph answer held them (the reader's role
 * may see them); otherwise the page says so. Pure: the caller fetches the view through the
 * graph as the reader.
 */

export interface PepExportTarget {
  area: string;
  description: string;
  successMeasure?: string | null;
  owner?: string | null;
  reviewDate?: string | null;
  status: string;
  review?: { outcome: string; comment: string; reviewedOn: string } | null;
}

export interface PepExportView {
  child: { id: string; name: string | null; dateOfBirth: string | null };
  pep: {
    id: string;
    meetingDate: string;
    status: string;
    schoolUrn: string | null;
    childViews: string | null;
    supportStrategies: readonly string[];
    targets: readonly PepExportTarget[];
    attendees?: ReadonlyArray<{ name: string; role: string }>;
    strengths?: string | null;
    barriers?: string | null;
    signOff?: ReadonlyArray<{ role: string; name: string; signedOn: string }>;
    qualityAssurance?: { rating: string; reasons: string; ratedOn: string } | null;
  };
  /** When the page was made (ISO 8601). */
  exportedAt: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const text = (value: string | null | undefined, missing = 'Not recorded'): string =>
  value === null || value === undefined || value.trim() === ''
    ? `<span class="missing">${missing}</span>`
    : escapeHtml(value);

const words = (code: string): string => escapeHtml(code.toLowerCase().replace(/_/g, ' '));

const STYLE = `
  body { font: 11pt/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 46rem; color: #111; }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #999; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
  .missing { color: #666; font-style: italic; } .meta { color: #444; } footer { margin-top: 2rem; font-size: 9pt; color: #444; }
  @media print { body { margin: 0; max-width: none; } a { color: inherit; } }
`;

function identity(child: PepExportView['child']): string {
  const name = child.name
    ? `<h1>Personal Education Plan: ${escapeHtml(child.name)}</h1>`
    : `<h1>Personal Education Plan</h1><p class="missing">The child's name is not shown to your role.</p>`;
  const dob = child.dateOfBirth
    ? `<p class="meta">Date of birth ${escapeHtml(child.dateOfBirth)}</p>`
    : '';
  return `${name}${dob}<p class="meta">Case reference ${escapeHtml(child.id)}</p>`;
}

function targets(list: readonly PepExportTarget[]): string {
  if (list.length === 0) return '<p class="missing">No targets recorded.</p>';
  const rows = list
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.area)}</td><td>${escapeHtml(t.description)}</td><td>${text(t.successMeasure)}</td><td>${text(t.owner)}</td><td>${text(t.reviewDate)}</td><td>${
          t.review
            ? `${words(t.review.outcome)} (${escapeHtml(t.review.reviewedOn)}): ${escapeHtml(t.review.comment)}`
            : words(t.status)
        }</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Area</th><th>Target</th><th>Success measure</th><th>Owner</th><th>Review by</th><th>Progress</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderPepHtml(view: PepExportView): string {
  const { pep } = view;
  const attendees = (pep.attendees ?? [])
    .map((a) => `<li>${escapeHtml(a.name)} (${words(a.role)})</li>`)
    .join('');
  const strategies = pep.supportStrategies.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  const signOff = (pep.signOff ?? [])
    .map((s) => `<li>${words(s.role)}: ${escapeHtml(s.name)}, ${escapeHtml(s.signedOn)}</li>`)
    .join('');
  const qa = pep.qualityAssurance
    ? `<p>Quality assured by the Virtual School on ${escapeHtml(pep.qualityAssurance.ratedOn)}: ${words(pep.qualityAssurance.rating)}. ${escapeHtml(pep.qualityAssurance.reasons)}</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Personal Education Plan</title><style>${STYLE}</style></head>
<body><main>
${identity(view.child)}
<p class="meta">Meeting ${escapeHtml(pep.meetingDate)} · ${words(pep.status)}${pep.schoolUrn ? ` · school URN ${escapeHtml(pep.schoolUrn)}` : ''}</p>
<h2>Who took part</h2>${attendees ? `<ul>${attendees}</ul>` : '<p class="missing">Not recorded</p>'}
<h2>The child's views</h2><p>${text(pep.childViews)}</p>
<h2>Strengths</h2><p>${text(pep.strengths)}</p>
<h2>Barriers to learning</h2><p>${text(pep.barriers)}</p>
<h2>Targets</h2>${targets(pep.targets)}
<h2>Support in class</h2>${strategies ? `<ul>${strategies}</ul>` : '<p class="missing">None agreed for sharing</p>'}
<h2>Sign-off</h2>${signOff ? `<ul>${signOff}</ul>` : '<p class="missing">Not recorded</p>'}${qa}
</main><footer>Confidential: a child looked after. Exported ${escapeHtml(view.exportedAt)} from CLA Graph; this copy is recorded in the access log. Do not forward beyond those who need it.</footer></body></html>
`;
}
