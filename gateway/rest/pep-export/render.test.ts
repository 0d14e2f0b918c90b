import { escapeHtml, renderPepHtml, type PepExportView } from './render';

const view = (child: PepExportView['child']): PepExportView => ({
  child,
  pep: {
    id: 'PEP-1',
    meetingDate: '2026-01-20',
    status: 'COMPLETE',
    schoolUrn: '100001',
    childViews: 'I want <b>more</b> help with "maths" & reading',
    supportStrategies: ['Sit near the front'],
    targets: [{ area: 'Maths', description: 'Times tables to 12', status: 'IN_PROGRESS' }],
  },
  exportedAt: '2026-02-10T10:00:00.000Z',
});

describe('the PEP page', () => {
  it('shows the name and date of birth only when the reader’s answer held them', () => {
    const withName = renderPepHtml(
      view({ id: '1000001', name: 'Sam Jones', dateOfBirth: '2014-03-03' }),
    );
    expect(withName).toContain('Sam Jones');
    expect(withName).toContain('2014-03-03');
    const without = renderPepHtml(view({ id: '1000001', name: null, dateOfBirth: null }));
    expect(without).not.toContain('Sam Jones');
    expect(without).not.toContain('Date of birth');
    expect(without).toContain('not shown to your role');
  });

  it('escapes everything it was given', () => {
    const page = renderPepHtml(
      view({ id: '1000001', name: '<script>x</script>', dateOfBirth: null }),
    );
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;');
    expect(page).toContain(
      'I want &lt;b&gt;more&lt;/b&gt; help with &quot;maths&quot; &amp; reading',
    );
    expect(escapeHtml(`'`)).toBe('&#39;');
  });
});
