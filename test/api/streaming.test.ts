import { describe, expect, it } from 'vitest';
import { rawJwt } from '../../src/api/streaming.js';
import { looksLikeAstraClientId, looksLikeJwt } from '../../src/domain/token-format.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbmlkIjoiYSJ9.c2ln';

describe('rawJwt: the body of GET .../tokens/{id}', () => {
  it.each([
    ['plain', JWT],
    ['plain with a newline', `${JWT}\n`],
    ['JSON-quoted', JSON.stringify(JWT)],
    ['JSON-quoted with spaces around', ` ${JSON.stringify(JWT)}\n`],
    ['an object with a token key', JSON.stringify({ Token: JWT })],
  ])('reads %s', (_label, body) => {
    expect(rawJwt(body)).toBe(JWT);
  });

  it.each([
    ['empty', ''],
    ['blank', '  \n'],
    ['broken JSON', '"eyJ'],
    ['a JSON number', '42'],
    ['an object without a token', '{"reason":"x"}'],
    ['two words', 'not a token'],
    ['plain text that is no JWT', 'AstraCS:abc'],
    ['a JSON string that is no JWT', '"hello"'],
  ])('finds no token in %s', (_label, body) => {
    expect(rawJwt(body)).toBeUndefined();
  });
});

describe('token shapes', () => {
  it('tells a JWT from an Astra client id', () => {
    expect(looksLikeJwt(JWT)).toBe(true);
    expect(looksLikeJwt(` ${JWT}\n`)).toBe(true);
    expect(looksLikeJwt('3f1c2a9e-5b7d-4e60-9a21-6c8d0f4b2e17')).toBe(false);
    expect(looksLikeAstraClientId('DkFtHKMhDQDuQtlExkSzwbya')).toBe(true);
    expect(looksLikeAstraClientId('DkFtHKMhDQDuQtlExkSzwby')).toBe(false);
    expect(looksLikeAstraClientId(JWT)).toBe(false);
  });
});
