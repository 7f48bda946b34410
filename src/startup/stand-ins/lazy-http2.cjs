// undici's HTTP/2 client reads ten of node:http2's constants when it loads, and uses the module itself only for an
// HTTP/2 connection, which this CLI never asks for (undici's allowH2 is off). node:http2 loads tls and crypto with
// it: several milliseconds before every first request. The bundle gives undici this stand-in instead: the constants
// it reads at load time (test/build/lazy-http2.test.ts holds them to the real module's), everything else from the
// real module on first use.
let real;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS stand-in: require is how it loads lazily
const load = () => (real ??= require('node:http2'));
const known = {
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_HEADER_EXPECT: 'expect',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_PROTOCOL: ':protocol',
  NGHTTP2_REFUSED_STREAM: 7,
  NGHTTP2_CANCEL: 8,
};
const constants = new Proxy(known, { get: (target, key) => (key in target ? target[key] : load().constants[key]) });
module.exports = new Proxy({}, { get: (_target, key) => (key === 'constants' ? constants : load()[key]) });
