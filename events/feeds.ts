/**
 * The two change feeds the alerts read, as `FeedSource`s: the education system's (session
 * marks, exclusions, enrolments, by UPN) and the social care system's (placements, periods of
 * care, PEPs, by child id).
 */
import type { Clock } from '../lib/clock';
import type { EducationClient } from '../upstream/education/client';
import type { EdChange } from '../upstream/education/contract';
import type { SocialCareClient } from '../upstream/social-care/client';
import type { ScChange } from '../upstream/social-care/contract';
import type { AlertSettings } from './config';
import { loadChildContexts } from './detect/child-context';
import {
  eventsFromEducationChange,
  mayRaiseEducationEvent,
  upnOfChange,
} from './detect/education-changes';
import { childOfChange, eventsFromSocialCareChange } from './detect/social-care-changes';
import type { FeedSource } from './feed-poller';

export interface FeedClients {
  socialCare: Pick<SocialCareClient, 'childrenByKey' | 'changes'>;
  education: Pick<EducationClient, 'studentsByUpn' | 'changes'>;
}

export function educationFeed(
  clients: FeedClients,
  la: string,
  clock: Clock,
  settings: Pick<AlertSettings, 'attendanceThresholdPercent'>,
): FeedSource<EdChange> {
  return {
    name: 'education',
    read: (after, limit) => clients.education.changes(after, limit),
    mayRaise: (change) => mayRaiseEducationEvent(change, clock()),
    subject: (change) => ({ key: 'upns', value: upnOfChange(change) }),
    contexts: (key, values) => loadChildContexts(clients, key, values, la, clock()),
    detect: (change, child) =>
      eventsFromEducationChange(change, child, {
        today: clock(),
        attendanceThresholdPercent: settings.attendanceThresholdPercent,
      }),
  };
}

export function socialCareFeed(
  clients: FeedClients,
  la: string,
  clock: Clock,
): FeedSource<ScChange> {
  return {
    name: 'social-care',
    read: (after, limit) => clients.socialCare.changes(after, limit),
    // A PEP change raises nothing (PEP deadlines come from the daily sweep).
    mayRaise: (change) => change.kind !== 'pep',
    subject: (change) => ({ key: 'ids', value: childOfChange(change) }),
    contexts: (key, values) => loadChildContexts(clients, key, values, la, clock()),
    detect: (change, child) => eventsFromSocialCareChange(change, child),
  };
}
