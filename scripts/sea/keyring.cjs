// The keychain binding inside the single executable: the native addon is a file beside the executable
// (keyring.node, copied there by `npm run build:sea`), loaded with a require rooted at the executable. Where it is
// absent this throws, the import in src/config/keyring.ts fails, and the CLI falls back exactly as on a machine
// without the binding (its warning, --storage file).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS stand-in, bundled into the executable
const { createRequire } = require('node:module');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const { dirname, join } = require('node:path');

module.exports = createRequire(process.execPath)(join(dirname(process.execPath), 'keyring.node'));
