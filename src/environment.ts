// The environment variables astra-token reads, in one table: `help environment` and the reference are built from
// it (a test holds the variables the source reads to this table).

export interface EnvironmentVariable {
  name: string;
  meaning: string;
}

export const ENVIRONMENT: readonly EnvironmentVariable[] = [
  { name: 'ASTRA_DB_APPLICATION_TOKEN', meaning: 'a token to use (for CI); beats any profile, not --token-file' },
  { name: 'ASTRA_PROFILE', meaning: 'the saved profile to use, as --profile (the flag wins)' },
  { name: 'ASTRA_API_URL', meaning: 'the DevOps API base URL, as --api-url (default https://api.astra.datastax.com)' },
  { name: 'ASTRA_STREAMING_API_URL', meaning: 'the Astra Streaming API base URL of the streaming commands' },
  { name: 'ASTRA_STREAMING_TENANT, ASTRA_STREAMING_CLUSTER', meaning: 'default --tenant and --cluster of the streaming commands' },
  {
    name: 'ASTRA_TOKEN_CONFIG_DIR',
    meaning: 'where profiles live (default $XDG_CONFIG_HOME/astra-token, else ~/.config/astra-token)',
  },
  { name: 'XDG_CONFIG_HOME', meaning: 'the base of the default config dir (default ~/.config)' },
  { name: 'XDG_CACHE_HOME', meaning: 'the base of the completion caches: $XDG_CACHE_HOME/astra-token (default ~/.cache)' },
  { name: 'ASTRA_TOKEN_DEBUG', meaning: '1: an HTTP trace on stderr, secrets redacted (as --debug)' },
  { name: 'NO_COLOR', meaning: 'any value: no colour (as --no-color)' },
  { name: 'TERM', meaning: 'dumb: no colour' },
  { name: 'COLUMNS', meaning: 'the width tables fit when the terminal does not tell (default 80)' },
  {
    name: 'HTTPS_PROXY, HTTP_PROXY, NO_PROXY',
    meaning: 'the proxy for API requests and the hosts reached directly (lower-case forms win; loopback is always direct)',
  },
  { name: 'DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR', meaning: 'where the Secret Service (keychain) is reached on Linux' },
  { name: 'PATH', meaning: 'where token exec finds the command it runs' },
  { name: 'USER, LOGNAME', meaning: "who token exec names in its token's default description" },
];
