// Cuts DataStax's published OpenAPI descriptions down to the operations the emulator serves, with every component
// they reference, for test/fixtures/openapi/ (see the README there for the sources).
//
//   node scripts/extract-openapi.mjs <astra-devops-api.yaml> <streaming-devops-api.yaml>
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const OUT = new URL('../test/fixtures/openapi/', import.meta.url);

const DEVOPS = {
  '/v2/tokens': ['post'],
  '/v2/clientIdSecrets': ['get', 'post'],
  '/v2/clientIdSecrets/{clientId}': ['delete'],
  '/v2/organizations/roles': ['get', 'post'],
  '/v2/organizations/roles/{roleID}': ['get', 'put', 'delete'],
  '/v2/organizations/users': ['get'],
  '/v2/currentOrg': ['get'],
  '/v2/databases': ['get'],
  '/v2/databases/{databaseId}': ['get'],
};
const STREAMING = {
  '/v2/streaming/tenants/{tenant}/tokens': ['get', 'post'],
  '/v2/streaming/tenants/{tenant}/tokens/{tokenID}': ['get', 'delete'],
  '/v3/streaming/tenants/{tenant}/tokens': ['post'],
};

function extract(file, keep, header) {
  const doc = parse(readFileSync(file, 'utf8'));
  const paths = {};
  for (const [path, methods] of Object.entries(keep)) {
    const item = doc.paths[path];
    if (!item) throw new Error(`${file}: no path ${path}`);
    paths[path] = Object.fromEntries(
      methods.map((m) => {
        if (!item[m]) throw new Error(`${file}: no ${m} ${path}`);
        return [m, item[m]];
      }),
    );
  }
  const components = {};
  const pending = [paths];
  const seen = new Set();
  while (pending.length) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !seen.has(value)) {
        seen.add(value);
        const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(value) ?? [];
        if (!kind) throw new Error(`unexpected $ref ${value}`);
        const target = doc.components[kind][name];
        (components[kind] ??= {})[name] = target;
        pending.push(target);
      } else pending.push(value);
    }
  }
  for (const kind of Object.keys(components)) components[kind] = Object.fromEntries(Object.entries(components[kind]).sort());
  const out = { openapi: doc.openapi, info: doc.info, servers: doc.servers, paths, components };
  return `${header}\n${stringify(out, { lineWidth: 0 })}`;
}

const [devops, streaming] = process.argv.slice(2);
if (!devops || !streaming) throw new Error('usage: extract-openapi.mjs <astra-devops-api.yaml> <streaming-devops-api.yaml>');
const note = (name) =>
  `# Extract of DataStax's ${name}: the operations the emulator serves and the components they reference,\n# unchanged. Source, commit and terms: README.md beside this file. Made by scripts/extract-openapi.mjs.`;
writeFileSync(new URL('astra-devops-api-2.3.0.yaml', OUT), extract(devops, DEVOPS, note('Astra DevOps API 2.3.0 description')));
writeFileSync(
  new URL('astra-streaming-2.2.0.yaml', OUT),
  extract(streaming, STREAMING, note('Astra Streaming DevOps API 2.2.0 description')),
);
