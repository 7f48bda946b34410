// A small world for proxy tests, all on loopback: a test CA and a server certificate for a non-loopback name
// (made with openssl in a temp dir), a TLS front that terminates TLS for that name and forwards to a plain-http
// backend (the emulator), a real CONNECT proxy that maps the name to the TLS front, and a resolver hook for child
// processes so that no name is ever looked up on the network and every lookup is seen.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer as createTlsServer } from 'node:tls';

export const PROXIED_HOST = 'api.example.test';

export interface TestCa {
  dir: string;
  caPath: string;
  key: Buffer;
  cert: Buffer;
  /** `--import` this in a child (NODE_OPTIONS) to route its name lookups through `TEST_HOSTS` (see below). */
  resolverHook: string;
  remove(): void;
}

/** A CA and a certificate for `hostname` signed by it, in a new temp dir (removed by `remove()`). */
export function makeTestCa(hostname = PROXIED_HOST): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'astra-token-ca-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    run([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=astra-token test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
    run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hostname}`]);
    writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=DNS:${hostname}\n`);
    run([
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    ]);
    const resolverHook = join(dir, 'resolver-hook.mjs');
    writeFileSync(resolverHook, RESOLVER_HOOK);
    return {
      dir,
      caPath: join(dir, 'ca.pem'),
      key: readFileSync(join(dir, 'server.key')),
      cert: readFileSync(join(dir, 'server.pem')),
      resolverHook: pathToFileURL(resolverHook).href,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

// In the child: every lookup of `localhost` or a `.test` name is written to stderr as `[resolver] <name>` and answered
// from the JSON map in TEST_HOSTS, else ENOTFOUND; nothing reaches a real resolver.
const RESOLVER_HOOK = `import dns from 'node:dns';
const hosts = JSON.parse(process.env.TEST_HOSTS || '{}');
const real = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  if (typeof options === 'function') { callback = options; options = {}; }
  if (typeof options === 'number') options = { family: options };
  const name = String(hostname).toLowerCase();
  if (name !== 'localhost' && !name.endsWith('.test')) return real.call(this, hostname, options, callback);
  process.stderr.write('[resolver] ' + name + '\\n');
  const address = hosts[name];
  if (!address) {
    const err = Object.assign(new Error('getaddrinfo ENOTFOUND ' + name), { code: 'ENOTFOUND', hostname: name });
    return process.nextTick(callback, err);
  }
  const family = address.includes(':') ? 6 : 4;
  process.nextTick(() => (options && options.all ? callback(null, [{ address, family }]) : callback(null, address, family)));
};
`;

export interface Listening {
  port: number;
  close(): Promise<void>;
}

function listen(server: Server | NetServer, sockets: Set<Socket>): Promise<Listening> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** Terminates TLS with the test certificate and pipes the plain bytes to the backend port on loopback. */
export function startTlsFront(ca: TestCa, backendPort: number): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: ca.key, cert: ca.cert }, (tlsSocket) => {
    const backend = netConnect(backendPort, '127.0.0.1');
    tlsSocket.pipe(backend).pipe(tlsSocket);
    const end = () => {
      tlsSocket.destroy();
      backend.destroy();
    };
    tlsSocket.on('error', end).on('close', end);
    backend.on('error', end).on('close', end);
  });
  return listen(server, sockets);
}

export interface ConnectProxy extends Listening {
  /** The authority of each CONNECT received (`host:port`), in order. */
  connects: string[];
  /** Plain (non-CONNECT) requests received, e.g. `GET http://...`: none is expected. */
  plain: string[];
}

/** A real HTTP CONNECT proxy: tunnels `routes[authority]` to that loopback port, refuses any other with 403. */
export async function startConnectProxy(routes: Record<string, number>): Promise<ConnectProxy> {
  const connects: string[] = [];
  const plain: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    plain.push(`${req.method} ${req.url}`);
    res.writeHead(502).end('this test proxy only tunnels');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const authority = req.url ?? '';
    connects.push(authority);
    sockets.add(client);
    client.on('error', () => client.destroy());
    const port = routes[authority];
    if (port === undefined) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = netConnect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', end).on('close', end);
    client.on('close', end);
  });
  const listening = await listen(server, sockets);
  return { ...listening, connects, plain };
}
