/**
 * Organization tokens. Secrets are never stored: a record keeps `sha256(secret)` in hex, which is exactly the third
 * part of the bearer `AstraCS:<clientId>:<hash>`. Authentication compares that part with the stored hash, so a state
 * restored from a snapshot still accepts every token it issued, while the secrets stay unrecoverable (as in Astra).
 */
import { timingSafeEqual } from 'node:crypto';
import { letters, secretString, sha256Hex, type Random } from './ids.js';

export interface TokenRecord {
  clientId: string;
  orgId: string;
  roles: string[];
  description: string;
  generatedOn: Date;
  expiresAt: Date | null;
  /** sha256(secret) in lowercase hex: the third part of the token string. */
  tokenHash: string;
}

export interface IssuedToken {
  clientId: string;
  secret: string;
  token: string;
}

const TOKEN_PATTERN = /^AstraCS:([A-Za-z]{24}):([0-9a-f]{64})$/;

/** The bearer string of a stored token (its third part is the hash, which is what the emulator checks). */
export const tokenString = (token: TokenRecord): string => `AstraCS:${token.clientId}:${token.tokenHash}`;

/** Every token of every org, by client id. */
export class TokenStore {
  private readonly records = new Map<string, TokenRecord>();

  constructor(
    private readonly random: Random,
    private readonly now: () => Date,
  ) {}

  /** Creates a token record with fresh credentials; role ids are stored as given. */
  mint(orgId: string, roles: string[], description: string, expiresAt: Date | null, generatedOn?: Date): IssuedToken {
    let clientId = letters(this.random, 24);
    while (this.records.has(clientId)) clientId = letters(this.random, 24);
    const secret = secretString(this.random);
    const tokenHash = sha256Hex(secret);
    this.records.set(clientId, {
      clientId,
      orgId,
      roles: [...roles],
      description,
      generatedOn: generatedOn ?? this.now(),
      expiresAt,
      tokenHash,
    });
    return { clientId, secret, token: `AstraCS:${clientId}:${tokenHash}` };
  }

  /** Puts back a record read from a snapshot. */
  restore(record: TokenRecord): void {
    this.records.set(record.clientId, record);
  }

  all(): TokenRecord[] {
    return [...this.records.values()];
  }

  list(orgId: string): TokenRecord[] {
    return this.all().filter((t) => t.orgId === orgId);
  }

  find(clientId: string): TokenRecord | undefined {
    return this.records.get(clientId);
  }

  revoke(clientId: string): boolean {
    return this.records.delete(clientId);
  }

  isExpired(token: TokenRecord): boolean {
    return token.expiresAt !== null && token.expiresAt.getTime() <= this.now().getTime();
  }

  /** The token behind a bearer string (with or without the `Bearer ` prefix), if it is known, unexpired and matches. */
  authenticate(bearer: string | null | undefined): TokenRecord | undefined {
    const match = TOKEN_PATTERN.exec((bearer ?? '').replace(/^Bearer\s+/i, '').trim());
    if (!match) return undefined;
    const token = this.records.get(match[1] ?? '');
    if (!token || this.isExpired(token)) return undefined;
    const given = Buffer.from(match[2] ?? '', 'utf8');
    const stored = Buffer.from(token.tokenHash, 'utf8');
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined;
    return token;
  }
}
