// Authentication: client certificates signed by our CA (user = CN, groups = O) and bearer tokens.
// Like kube-apiserver, a request with no credentials is anonymous (allowed only on a few public
// paths), while a request with bad credentials is refused outright.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../objects/index.js';

export const authenticatedGroup = 'system:authenticated';
export const anonymousUser: Readonly<UserInfo> = Object.freeze({ username: 'system:anonymous', groups: Object.freeze(['system:unauthenticated']) as string[] });

/** Anything that can vouch for a bearer token (static tokens now; bootstrap and node tokens later). */
export interface TokenVerifier {
  authenticate(token: string): UserInfo | undefined;
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Static bearer tokens, kept by their SHA-256 so a lookup does not compare secrets byte by byte.
 * The file format is kube-apiserver's --token-auth-file: `token,user,uid,"group1,group2"`.
 */
export class TokenAuthenticator implements TokenVerifier {
  readonly #users = new Map<string, UserInfo>();

  static async fromFile(path: string): Promise<TokenAuthenticator> {
    const auth = new TokenAuthenticator();
    auth.load(await readFile(path, 'utf8'));
    return auth;
  }

  /** Adds the tokens of a token file's text (replacing any with the same token). */
  load(text: string): void {
    for (const line of text.split('\n')) {
      const entry = parseTokenLine(line);
      if (entry) this.add(entry.token, entry.user);
    }
  }

  add(token: string, user: UserInfo): void {
    if (!token) throw new Error('empty bearer token');
    this.#users.set(digest(token), { username: user.username, groups: [...user.groups] });
  }

  remove(token: string): boolean {
    return this.#users.delete(digest(token));
  }

  authenticate(token: string): UserInfo | undefined {
    const user = this.#users.get(digest(token));
    return user ? { username: user.username, groups: [...user.groups] } : undefined;
  }
}

export function parseTokenLine(line: string): { token: string; user: UserInfo } | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const fields = splitCsv(trimmed);
  const [token, username, , groups] = fields;
  if (!token || !username) return undefined;
  return { token, user: { username, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] } };
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

export function formatTokenLine(token: string, user: UserInfo): string {
  return `${token},${user.username},${user.username},"${user.groups.join(',')}"`;
}

export type AuthResult =
  | { kind: 'user'; user: UserInfo }
  | { kind: 'anonymous' }
  | { kind: 'rejected' };

function withAuthenticated(user: UserInfo): UserInfo {
  return user.groups.includes(authenticatedGroup) ? user : { ...user, groups: [...user.groups, authenticatedGroup] };
}

// getPeerCertificate() parses the certificate on every call; a keep-alive connection carries many
// requests (cloudcore's lease renewals: hundreds per second), so each socket's answer is kept.
const certUsers = new WeakMap<TLSSocket, UserInfo | null>();

function certUser(socket: TLSSocket): UserInfo | undefined {
  if (!socket.authorized) return undefined;
  const known = certUsers.get(socket);
  if (known !== undefined) return known ?? undefined;
  const user = parseCertUser(socket);
  certUsers.set(socket, user ?? null);
  return user;
}

function parseCertUser(socket: TLSSocket): UserInfo | undefined {
  const cert = socket.getPeerCertificate();
  const cn = cert.subject?.CN;
  const username = Array.isArray(cn) ? cn[0] : cn;
  if (!username) return undefined;
  const o: unknown = cert.subject.O;
  const groups = Array.isArray(o) ? o.map(String) : typeof o === 'string' ? [o] : [];
  return { username, groups };
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^bearer\s+(.+)$/i.exec(header.trim());
  return m?.[1]?.trim() || undefined;
}

function presentedCert(socket: TLSSocket): boolean {
  const cert = socket.getPeerCertificate?.();
  return cert !== undefined && cert !== null && Object.keys(cert).length > 0;
}

export function authenticate(req: IncomingMessage, verifiers: readonly TokenVerifier[]): AuthResult {
  const socket = req.socket as TLSSocket;
  const fromCert = certUser(socket);
  if (fromCert) return { kind: 'user', user: withAuthenticated(fromCert) };
  const token = bearerToken(req);
  if (token !== undefined) {
    for (const v of verifiers) {
      const user = v.authenticate(token);
      if (user) return { kind: 'user', user: withAuthenticated(user) };
    }
    return { kind: 'rejected' };
  }
  // A certificate we did not sign (and no token): refused, as an unknown-authority x509 error would be.
  if (req.headers.authorization !== undefined || presentedCert(socket)) return { kind: 'rejected' };
  return { kind: 'anonymous' };
}
