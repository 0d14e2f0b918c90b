/** Request counters per route pattern ("POST /api/v1/children/search"). */
export interface RouteCounts {
  requests: number;
  byRoute: Record<string, number>;
}

export class RouteCounter {
  private counts = new Map<string, number>();

  hit(route: string): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
  }

  snapshot(): RouteCounts {
    const byRoute: Record<string, number> = {};
    let requests = 0;
    for (const [route, count] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      byRoute[route] = count;
      requests += count;
    }
    return { requests, byRoute };
  }

  reset(): void {
    this.counts.clear();
  }
}
