// `npm run docs`: writes docs/reference/ from the built command tree (`astra-token help reference`), so the
// reference says what the declarations say. test/contract/reference.test.ts fails when the checked-in copy is stale.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/astra-token.js', import.meta.url));
const dir = fileURLToPath(new URL('../docs/reference/', import.meta.url));
const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
const reference = execFileSync(process.execPath, [bin, 'help', 'reference'], { env, encoding: 'utf8' });
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}commands.md`, reference);
process.stdout.write(`wrote docs/reference/commands.md (${reference.split('\n').length} lines)\n`);
