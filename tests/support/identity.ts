/** Identity for tests that call a subgraph directly: shared with the benchmarks, in `system/`. */
export * from '../../system/direct-identity';
