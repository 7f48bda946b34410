// Each noun's one-line summary, written once: its registration describes the command with it, and the top-level help
// (which registers no noun it does not need) lists it from here.
export const NOUN_SUMMARIES = {
  org: 'save, list and switch org credentials (profiles)',
  token: 'list, create, rotate, revoke and inspect application tokens',
  role: 'list, inspect, create, update and delete the roles of the org',
  db: 'list the databases of the org (to find the names and ids --db takes)',
  streaming: 'manage the Astra Streaming (Pulsar) tokens of a tenant',
  emulator: 'serve a local, stateful Astra DevOps API emulator (for trying the tool and testing scripts offline)',
  completion: 'print a shell completion script (bash, zsh or fish)',
} as const;
