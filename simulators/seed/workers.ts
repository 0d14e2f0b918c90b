/**
 * Social care staff: social workers (about one per 17 children) in teams of about six with a
 * team manager each, and the virtual school (one head, about one officer per 100 children).
 */
import type { ScWorker } from '../../upstream/social-care/contract';
import { authoritySlug, districtsOf } from './authorities';
import type { SeedContext } from './context';
import { adultName, emailPart, landline } from './names';

export interface Workforce {
  workers: ScWorker[];
  socialWorkers: ScWorker[];
  officers: ScWorker[];
  head: ScWorker;
}

export function generateWorkers(
  ctx: SeedContext,
  currentChildren: number,
  totalChildren: number,
): Workforce {
  const rng = ctx.rng.fork('workers');
  const domain = `${authoritySlug(ctx.la.name)}.gov.example`;
  const emails = new Set<string>();
  let next = 100001;
  const workers: ScWorker[] = [];
  const make = (role: ScWorker['ROLE'], teamId: string, teamName: string): ScWorker => {
    const n = adultName(rng);
    const local = `${emailPart(n.forename)}.${emailPart(n.surname)}`;
    let email = `${local}@${domain}`;
    for (let k = 2; emails.has(email); k++) email = `${local}${k}@${domain}`;
    emails.add(email);
    const w: ScWorker = {
      STAFF_ID: `S${next++}`,
      NAME: `${n.forename} ${n.surname}`,
      ROLE: role,
      TEAM_ID: teamId,
      TEAM_NAME: teamName,
      WORK_EMAIL: email,
      WORK_PHONE: landline(rng),
    };
    workers.push(w);
    return w;
  };

  const vsTeam = ['VS01', `${ctx.la.name} Virtual School`] as const;
  const head = make('VSH', ...vsTeam);
  const officers: ScWorker[] = [];
  const nOfficers = Math.max(1, Math.round(totalChildren / 100));
  for (let i = 0; i < nOfficers; i++) officers.push(make('VSO', ...vsTeam));

  const nSocialWorkers = Math.max(1, Math.round(currentChildren / 17));
  const nTeams = Math.max(1, Math.round(nSocialWorkers / 6));
  const towns = [...new Set(districtsOf(ctx.la.code).map(([, town]) => town))];
  const socialWorkers: ScWorker[] = [];
  for (let t = 0; t < nTeams; t++) {
    const teamId = `CLA${String(t + 1).padStart(2, '0')}`;
    const area = towns[t % towns.length]!;
    const round = Math.floor(t / towns.length);
    const teamName = `${area} Children in Care Team${round > 0 ? ` ${round + 1}` : ''}`;
    make('TM', teamId, teamName);
    const size = Math.floor(nSocialWorkers / nTeams) + (t < nSocialWorkers % nTeams ? 1 : 0);
    for (let i = 0; i < size; i++) socialWorkers.push(make('SW', teamId, teamName));
  }
  return { workers, socialWorkers, officers, head };
}
