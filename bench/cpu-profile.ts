/**
 * V8 CPU profiles of one piece of a bench (the profiler `node --cpu-prof` uses, started and
 * stopped around the piece through the inspector, so a profile holds that piece and not the
 * seeding before it), written as `.cpuprofile` files (Chrome DevTools or speedscope open them)
 * and summed up by where the time went: self time per package (node_modules), per project
 * file, or V8's own entries ((garbage collector), (program), (idle)).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Starts profiling this process; `stop()` ends it and answers the profile. */
export async function startProfile(): Promise<{ stop(): Promise<CpuProfile> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 1 ms between samples (V8's default): long runs stay small enough to open.
  await session.post('Profiler.setSamplingInterval', { interval: 1_000 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile as unknown as CpuProfile;
    },
  };
}

/** Where a frame's time is counted: a package, a project file, or V8's own entry. */
function areaOf(frame: ProfileNode['callFrame'], root: string): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (file.startsWith('node:')) return 'node (internal)';
  return path.relative(root, file);
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time per area, largest first. */
  areas: Array<{ area: string; ms: number; share: number }>;
  /** Self time per function (name and area), largest first. */
  functions: Array<{ name: string; area: string; ms: number; share: number }>;
}

/** Self time by area and by function, the `top` largest of each. */
export function summariseProfile(profile: CpuProfile, root: string, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const areas = new Map<string, number>();
  const functions = new Map<string, { name: string; area: string; us: number }>();
  let total = 0;
  samples.forEach((id, i) => {
    const node = byId.get(id);
    // A sample's time is the gap to the next one.
    const us = Math.max(0, deltas[i + 1] ?? 0);
    if (!node) return;
    total += us;
    const area = areaOf(node.callFrame, root);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = node.callFrame.functionName || '(anonymous)';
    const key = `${area}|${name}|${node.callFrame.lineNumber}`;
    const entry = functions.get(key) ?? { name, area, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  });
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => (total === 0 ? 0 : Math.round((us / total) * 1000) / 10);
  return {
    totalMs: ms(total),
    areas: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, us]) => ({ area, ms: ms(us), share: share(us) })),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => ({
        name: entry.name,
        area: entry.area,
        ms: ms(entry.us),
        share: share(entry.us),
      })),
  };
}

/** Writes `profile` to `<dir>/<name>.cpuprofile` and answers the file's path. */
export function writeProfile(dir: string, name: string, profile: CpuProfile): string {
  const file = path.join(dir, `${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return file;
}
