// The floor `token list --json` is compared against: a bare node process that makes the same two requests (roles and
// tokens) at once, as the CLI does, reads both answers and parses them. Credentials come from the environment, as the
// CLI's do (a token never goes on a command line). CommonJS and no top-level await: as an ES module the same script
// took ~35 ms longer on Node 24 (178 vs 140 ms at 100 ms latency), and the floor is the fastest way node can do it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script: the fastest start node has
const { request } = require('node:http');

const { ASTRA_API_URL: url, ASTRA_DB_APPLICATION_TOKEN: token } = process.env;
const get = (path) =>
  new Promise((resolve, reject) => {
    request(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` }, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`${path}: ${res.statusCode}`)),
      );
    })
      .on('error', reject)
      .end();
  });
Promise.all([get('/v2/organizations/roles'), get('/v2/tokens')]).catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
});
