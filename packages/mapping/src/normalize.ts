import { isFreeMailDomainName } from './free-mail-domains.js';
import { err, ok, type Result } from './result.js';

/** null, undefined, '', whitespace-only strings and empty arrays are blank: "no value". */
export function isBlank(v: unknown): v is null | undefined | '' | [] {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * normalizeHost's answers for the hosts seen last: an import normalises every contact's email (its domain is the
 * company's, shared by many contacts) and every company's domain, a few times each. Bounded; cleared when full.
 */
const HOSTS = new Map<string, string | null>();
const HOSTS_MAX = 10_000;

/**
 * A host name in lower-case ASCII (IDNs become punycode, so `münchen.de` and
 * `xn--mnchen-3ya.de` compare equal), or null when it is not a public-looking domain:
 * at least two labels, and a TLD that is not numeric (IP addresses are not domains).
 */
function normalizeHost(host: string): string | null {
  const known = HOSTS.get(host);
  if (known !== undefined) return known;
  const normalized = hostOf(host);
  if (HOSTS.size >= HOSTS_MAX) HOSTS.clear();
  HOSTS.set(host, normalized);
  return normalized;
}

function hostOf(host: string): string | null {
  let h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h === '' || /[\s/\\?#@:]/.test(h)) return null;
  if (/[^!-~]/.test(h)) {
    try {
      h = new URL(`http://${h}`).hostname;
    } catch {
      return null;
    }
  }
  const labels = h.split('.');
  if (labels.length < 2 || h.length > 253) return null;
  if (!labels.every((l) => LABEL.test(l))) return null;
  const tld = labels[labels.length - 1] ?? '';
  if (/^\d+$/.test(tld)) return null;
  return h;
}

/** Trims, lower-cases and validates an email address (also accepts `mailto:` and `Name <a@b.c>` forms). */
export function normalizeEmail(input: unknown): Result<string> {
  if (typeof input !== 'string') return err('invalid_email', `Expected an email address, got ${describeValue(input)}`);
  let s = input.trim();
  const angle = /<([^<>]+)>\s*$/.exec(s);
  if (angle?.[1] !== undefined) s = angle[1].trim();
  s = s.replace(/^mailto:/i, '').toLowerCase();
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return err('invalid_email', `"${input}" is not an email address`);
  const local = s.slice(0, at);
  const domain = normalizeHost(s.slice(at + 1));
  if (local.length > 64 || !EMAIL_LOCAL.test(local) || domain === null) {
    return err('invalid_email', `"${input}" is not an email address`);
  }
  const email = `${local}@${domain}`;
  if (email.length > 254) return err('invalid_email', `"${input}" is longer than 254 characters`);
  return ok(email);
}

export function isValidEmail(input: unknown): boolean {
  return normalizeEmail(input).ok;
}

/**
 * The bare domain of a URL, host, or email address: lower-case, without scheme, credentials,
 * `www.`, port, path, query or fragment. `https://WWW.Acme.com:443/about?x=1` → `acme.com`,
 * `ada@Acme.com` → `acme.com`. Null when nothing domain-like remains.
 */
export function normalizeDomain(input: unknown): string | null {
  if (typeof input !== 'string' || isBlank(input)) return null;
  let s = input.trim().toLowerCase();
  if (s.startsWith('mailto:')) s = s.slice('mailto:'.length);
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(s);
  if (!hasScheme && !s.startsWith('//') && s.includes('@') && !s.includes('/')) {
    s = s.slice(s.lastIndexOf('@') + 1);
  } else {
    s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
    s = s.split(/[/?#]/, 1)[0] ?? '';
    s = s.slice(s.lastIndexOf('@') + 1);
  }
  s = s.replace(/:\d*$/, '');
  const host = normalizeHost(s);
  if (host === null) return null;
  const withoutWww = host.replace(/^www\d*\./, '');
  return withoutWww.includes('.') ? withoutWww : host;
}

/** Domain part of an email address, or null when the address is invalid. */
export function domainFromEmail(email: unknown): string | null {
  const r = normalizeEmail(email);
  return r.ok ? r.value.slice(r.value.lastIndexOf('@') + 1) : null;
}

/** Accepts a domain, an email address or a URL. */
export function isFreeMailDomain(input: unknown): boolean {
  const d = normalizeDomain(input);
  return d !== null && isFreeMailDomainName(d);
}

/** The employer's domain from a work email; null for free-mail and invalid addresses. */
export function companyDomainFromEmail(email: unknown): string | null {
  const d = domainFromEmail(email);
  return d !== null && !isFreeMailDomainName(d) ? d : null;
}

export interface SplitName {
  firstName: string | null;
  lastName: string | null;
}

const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'herr', 'frau', 'mme', 'mlle']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'v', 'phd', 'md', 'esq', 'mba', 'cpa']);
const bare = (token: string): string => token.toLowerCase().replace(/\./g, '');

/**
 * Splits a full name: the first word is the first name, everything after it the last name
 * ("Ada King Lovelace" → Ada / King Lovelace). "Lovelace, Ada" is read as last, first.
 * Leading honorifics (Dr., Mrs ...) are dropped. A single word becomes the LAST name, because
 * Salesforce refuses a Lead without LastName while a missing first name only weakens
 * personalisation.
 */
export function splitName(fullName: unknown): SplitName {
  if (typeof fullName !== 'string' || isBlank(fullName)) return { firstName: null, lastName: null };
  const name = fullName.trim().replace(/\s+/g, ' ');
  const comma = name.split(',').map((p) => p.trim());
  if (comma.length === 2 && comma[0] && comma[1] && !comma[1].split(' ').every((t) => SUFFIXES.has(bare(t)))) {
    return { firstName: comma[1], lastName: comma[0] };
  }
  const tokens = name.replace(/,/g, ' ').split(' ').filter((t) => t !== '');
  while (tokens.length > 1 && HONORIFICS.has(bare(tokens[0] ?? ''))) tokens.shift();
  if (tokens.length === 1) return { firstName: null, lastName: tokens[0] ?? null };
  const [first, ...rest] = tokens;
  return { firstName: first ?? null, lastName: rest.join(' ') };
}

/** A short human description of a value for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `array [${v.map((x) => describeValue(x)).join(', ')}]`;
  if (typeof v === 'string') return `"${v.length > 60 ? `${v.slice(0, 57)}...` : v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (v instanceof Date) return `date ${Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()}`;
  return typeof v;
}
