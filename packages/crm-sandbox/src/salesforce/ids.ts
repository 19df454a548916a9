/**
 * Salesforce record ids: 15 case-sensitive characters (3-char key prefix, 2-char pod,
 * a reserved '0', then a base-62 counter) plus the 3-char case-safe checksum that makes
 * the 18-char form the API returns.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const POD = '8d';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

export function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_CHARS[bits];
  }
  return suffix;
}

function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** The n-th id for a key prefix (deterministic, so seeded data gets stable ids). */
export function makeId(prefix: string, n: number): string {
  const id15 = `${prefix}${POD}0${base62(n, 9)}`;
  return id15 + checksum(id15);
}

/** 15 or 18 alphanumerics with a valid checksum → the 18-char form; anything else → undefined. */
export function normalizeId(value: string): string | undefined {
  if (ID18.test(value)) {
    const id15 = value.slice(0, 15);
    return checksum(id15).toLowerCase() === value.slice(15).toLowerCase() ? id15 + checksum(id15) : undefined;
  }
  if (ID15.test(value)) return value + checksum(value);
  return undefined;
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}
