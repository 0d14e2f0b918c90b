/**
 * What a subgraph is to the rest of CLA Graph: one descriptor, in its folder's `index.ts`,
 * listed once in `registry.ts`. Composition, the gateway's configuration, the all-in-one
 * system, the subgraph's own entry point and the README's table all read it from there.
 */
import type { GraphQLSchema } from 'graphql';
import { z } from 'zod';
import {
  loadScopeConfig,
  type ScopeConfig,
  type SubgraphSecurity,
} from '../lib/authz/subgraph-security';
import { port } from '../lib/config';
import type { Clock } from '../lib/clock';
import type { SubgraphApp } from '../lib/graphql/subgraph-server';
import { subgraphSdlFile } from '../schema/subgraphs';
import type { AuditStore } from '../stores/audit/audit-store';
import type { EventStore } from '../stores/events/event-store';
import type { WebhookStore } from '../stores/events/webhook-store';
import type { NeedToKnowStore } from '../stores/need-to-know/need-to-know-store';
import type { PpPlusRequestStore } from '../stores/pupil-premium-plus/pp-plus-request-store';
import type { PlacedPupils } from './education/placed-pupils/context';
import type { DesignatedTeacherHistory, PartnerRegisterReader } from './education/register/context';
import type { VirtualSchoolDirectory } from './education/virtual-schools/context';
import type { PepHistory } from './social-care/pep-workflow/context';

/** CLA Graph's own tables, for the subgraphs that serve them. */
export interface SubgraphStores {
  needToKnow: NeedToKnowStore;
  audit: AuditStore;
  /** Changes to the designated teacher register (the register itself is the education system's). */
  designatedTeacherHistory: DesignatedTeacherHistory;
  /** The directory of local authorities' Virtual Schools and its history. */
  virtualSchoolDirectory: VirtualSchoolDirectory;
  /** What placing authorities share about their children on our schools' rolls (issue 15). */
  placedPupils: PlacedPupils;
  /** Other authorities' registers as the exchange read them (issue 15); none without it. */
  partnerRegisters?: PartnerRegisterReader;
  /** The alert outbox: events, feed cursors, acknowledgements. */
  events: EventStore;
  /** Webhook subscriptions and their deliveries. */
  webhooks: WebhookStore;
  /** The PEP workflow's change history. */
  pepHistory: PepHistory;
  /** Pupil Premium Plus requests against PEP targets, and their history. */
  ppPlusRequests: PpPlusRequestStore;
}

/** Wraps a subgraph's schema with its permissions (graphql-shield and any middleware with it). */
export type PermissionLayer = (schema: GraphQLSchema) => GraphQLSchema;

/** Choices a factory's caller may make; production (`start-system`, `main.ts`) makes none. */
export interface SubgraphOptions {
  /**
   * Instead of the subgraph's own permissions (the benchmark compares graphql-shield alone and
   * no middleware at all: `(schema) => schema`). Never set outside benchmarks.
   */
  permissions?: PermissionLayer;
  /** "Today", for the subgraphs that count from it (tests move it); AS_OF or the system clock by default. */
  clock?: Clock;
}

/**
 * Everything a subgraph's factory is given besides its configuration: the gateway's token
 * check, the need-to-know grants its scope reads, and CLA Graph's own tables. One container
 * for every subgraph; each factory declares the part it reads (`SubgraphDepsWith`).
 */
export interface SubgraphDeps extends SubgraphSecurity, SubgraphOptions {
  stores: SubgraphStores;
}

/** The part of `SubgraphDeps` a factory reads: security, options and the tables named (if any). */
export type SubgraphDepsWith<S extends keyof SubgraphStores = never> = SubgraphSecurity &
  SubgraphOptions &
  ([S] extends [never] ? unknown : { stores: Pick<SubgraphStores, S> });

/** What every subgraph's configuration has (`loadConfig`). */
export interface SubgraphConfig {
  port: number;
  /** The interface it listens on (`0.0.0.0` in a container); this machine only by default. */
  host?: string;
  production: boolean;
  /** The gateway's keys and the scope look-ups. */
  scope: ScopeConfig;
}

/** The variables every subgraph reads besides the scope settings: spread into its schema. */
export const subgraphEnv = (defaultPort: number) => ({
  PORT: port(defaultPort),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
});

/** What every subgraph's configuration has, from `subgraphEnv`'s variables and the scope settings. */
export function subgraphConfig(
  parsed: { PORT: number; HOST?: string; NODE_ENV: string },
  env: NodeJS.ProcessEnv,
  scope: ScopeConfig = loadScopeConfig(env),
): SubgraphConfig {
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    production: parsed.NODE_ENV === 'production',
    scope,
  };
}

export interface SubgraphDescriptor<TConfig extends SubgraphConfig = SubgraphConfig> {
  /** Its name in the supergraph, its folder, its SDL file, its token audience, and its gateway variable (`<NAME>_SUBGRAPH_URL`). */
  readonly name: string;
  /** `subgraphs/<name>/<name>.graphql`. */
  readonly sdlFile: string;
  /** Where it listens unless PORT says otherwise (and where the gateway looks for it by default). */
  readonly defaultPort: number;
  /** A longer (or shorter) deadline at the gateway than SUBGRAPH_TIMEOUT_MS: `<NAME>_SUBGRAPH_TIMEOUT_MS`. */
  readonly gatewayTimeoutMs?: number;
  /** Whether it needs CLA Graph's database (DATABASE_URL) when it runs on its own. */
  readonly database: boolean;
  /** Its environment, parsed once at start. */
  loadConfig(env: NodeJS.ProcessEnv): TConfig;
  /** The subgraph's composition root. */
  create(config: TConfig, deps: SubgraphDeps): Promise<SubgraphApp>;
}

/** A descriptor, its SDL file found by the convention every subgraph follows. */
export function defineSubgraph<const TName extends string, TConfig extends SubgraphConfig>(
  descriptor: Omit<SubgraphDescriptor<TConfig>, 'sdlFile' | 'name'> & { name: TName },
): SubgraphDescriptor<TConfig> & { readonly name: TName } {
  return { ...descriptor, sdlFile: subgraphSdlFile(descriptor.name) };
}
