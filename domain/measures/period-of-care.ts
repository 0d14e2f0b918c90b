/**
 * Periods of care from SSDA903 episodes: episodes in date order, and where the continuous period
 * of care an episode belongs to began (abutting episodes are one period; a gap means the child
 * left care and came back). This is the single place the rule lives: the social care subgraph
 * uses it for a child's care status ("looked after since") and the reporting subgraph to find
 * when a child in a cohort entered care, so a report and a child's record always agree. Pure.
 */
import type { ScEpisode } from '../../upstream/social-care/contract';

/** Oldest first, without touching the payload's own array. */
export function chronological(episodes: readonly ScEpisode[]): ScEpisode[] {
  return [...episodes].sort((a, b) => a.DECOM.localeCompare(b.DECOM));
}

/**
 * Start of the continuous period of care that `episode` belongs to: walk back while the
 * episode before ended the day this one started (903 episodes within one period of care
 * abut; a gap means the child left care and came back).
 */
export function periodStart(episodes: readonly ScEpisode[], episode: ScEpisode): string {
  const sorted = chronological(episodes);
  let index = sorted.indexOf(episode);
  while (index > 0 && sorted[index - 1]?.DEC === sorted[index]?.DECOM) index -= 1;
  return sorted[Math.max(index, 0)]?.DECOM ?? episode.DECOM;
}

/** The episode open on `date`: started by then and not ended by then (the latest if several). */
export function episodeOn(episodes: readonly ScEpisode[], date: string): ScEpisode | null {
  let found: ScEpisode | null = null;
  for (const episode of chronological(episodes)) {
    if (episode.DECOM <= date && (episode.DEC === null || episode.DEC > date)) found = episode;
  }
  return found;
}

/** Short breaks (legal status V3, V4) are not "looked after" for cohorts or PEPs. */
export function isShortBreak(episode: ScEpisode): boolean {
  return episode.LS === 'V3' || episode.LS === 'V4';
}
