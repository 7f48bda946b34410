// Work to finish before the process ends (closing keep-alive sockets), registered by whichever module opened it,
// so that the process edge need not import those modules.
const hooks = new Set<() => Promise<void>>();

export function onShutdown(hook: () => Promise<void>): void {
  hooks.add(hook);
}

export async function runShutdown(): Promise<void> {
  const pending = [...hooks];
  hooks.clear();
  await Promise.all(pending.map((hook) => hook().catch(() => undefined)));
}
