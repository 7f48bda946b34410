// Kept apart from the client (no imports) so that the context can make one without loading the API modules.
/**
 * What one run has learnt about the token routes of a server: only positive facts ("DELETE /v2/tokens/{id} answered
 * 2xx once, so that route exists"), shared by every client of the run (prune's uninterruptible one included). It only
 * decides which route to try first and whether a 404 from a route can mean "no such token"; it never makes a request
 * conclude "not found" on its own (docs/devops-api.md: per-request fallback).
 */
export class RouteKnowledge {
  private readonly answered = new Set<string>();

  /** Whether `method route` on the server at `baseUrl` is known to exist. */
  has(baseUrl: string, method: string, route: string): boolean {
    return this.answered.has(`${method} ${baseUrl}${route}`);
  }

  learn(baseUrl: string, method: string, route: string): void {
    this.answered.add(`${method} ${baseUrl}${route}`);
  }
}
