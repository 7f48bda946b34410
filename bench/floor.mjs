// The floor `token list --json` is compared against: a bare node process that makes the same two requests (roles and
// tokens) at once, as the CLI does, reads both answers and parses them. Credentials come from the environment, as the
// CLI's do (a token never goes on a command line).
import { request } from 'node:http';

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
await Promise.all([get('/v2/organizations/roles'), get('/v2/tokens')]);
