// Types of scripts/node-dist.mjs for the tests that import it.
export interface PinnedNode {
  version: string;
  integrity: string;
  uses: string[];
}
export const VERSIONS_FILE: string;
export function pinnedNodes(file?: string): PinnedNode[];
export function versionsFor(use: string): string[];
export function cacheDir(env?: Record<string, string | undefined>): string;
export function nodeBinary(version: string, opts?: { log?: (message: string) => void }): Promise<string>;
