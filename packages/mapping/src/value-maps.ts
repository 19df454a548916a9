import { isBlank } from './normalize.js';
import type { FieldOption, MappedObject } from './types.js';

/**
 * Conduit's own vocabulary for enumerated fields. A CRM option is stored in Conduit as one of these labels, through
 * the connection's value map (CRM option value → Conduit value), so HubSpot's `BAD_TIMING` and Salesforce's
 * "Bad Timing" are both "Bad timing" in Conduit and one filter finds them.
 */
export const LEAD_STATUS_VOCABULARY: readonly string[] = [
  'New',
  'Open',
  'Not contacted',
  'Attempted to contact',
  'Working',
  'Connected',
  'In progress',
  'Open deal',
  'Qualified',
  'Unqualified',
  'Bad timing',
  'Nurturing',
  'Converted',
  'Not converted',
];

export const INDUSTRY_VOCABULARY: readonly string[] = [
  'Agriculture',
  'Apparel',
  'Automotive',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Computer software',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental services',
  'Financial services',
  'Food and beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Information technology and services',
  'Insurance',
  'Internet',
  'Logistics and supply chain',
  'Machinery',
  'Manufacturing',
  'Marketing and advertising',
  'Media',
  'Nonprofit',
  'Real estate',
  'Recreation',
  'Renewables and environment',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];

const VOCABULARIES: Record<MappedObject, Readonly<Record<string, readonly string[]>>> = {
  contact: { leadStatus: LEAD_STATUS_VOCABULARY },
  company: { industry: INDUSTRY_VOCABULARY },
  activity: {},
};

/** The fixed vocabulary of a Conduit field, or null when the field takes free values. */
export function vocabularyFor(object: MappedObject, conduitField: string): readonly string[] | null {
  const v = VOCABULARIES[object];
  return Object.hasOwn(v, conduitField) ? (v[conduitField] ?? null) : null;
}

/** Conduit fields with a fixed vocabulary, per object. */
export function vocabularyFields(object: MappedObject): string[] {
  return Object.keys(VOCABULARIES[object]);
}

/** A CRM option value → the Conduit value it is stored as. */
export type ValueMap = Readonly<Record<string, string>>;

/** `BAD_TIMING`, "Bad Timing", "bad-timing" → "bad timing"; "Food & Beverage" → "food and beverage". */
export function vocabularyKey(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Words CRMs use for a Conduit value when neither the value nor the label matches it (keys as vocabularyKey gives
 * them): Salesforce's default Lead statuses, HubSpot's industry codes that name an industry differently.
 */
const SYNONYMS: Readonly<Record<string, string>> = {
  'open not contacted': 'Not contacted',
  'working contacted': 'Working',
  'closed converted': 'Converted',
  'closed not converted': 'Not converted',
  'hospital health care': 'Healthcare',
  'health care': 'Healthcare',
  'financial services': 'Financial services',
  finance: 'Financial services',
  'education management': 'Education',
  'renewables environment': 'Renewables and environment',
  environmental: 'Environmental services',
  'not for profit': 'Nonprofit',
  'non profit organization management': 'Nonprofit',
  'management consulting': 'Consulting',
  'logistics supply chain': 'Logistics and supply chain',
  'information technology services': 'Information technology and services',
  'food beverages': 'Food and beverage',
  'food and beverages': 'Food and beverage',
};

/** The Conduit value a CRM value or label names (case, separators and `&` ignored; then known synonyms), or null. */
export function matchVocabulary(vocabulary: readonly string[], value: string): string | null {
  const key = vocabularyKey(value);
  if (key === '') return null;
  for (const v of vocabulary) if (vocabularyKey(v) === key) return v;
  const synonym = SYNONYMS[key];
  return synonym !== undefined && vocabulary.includes(synonym) ? synonym : null;
}

/**
 * The value map Conduit suggests for a CRM field's options: each option whose value or label names a Conduit value
 * (`BAD_TIMING` / "Bad Timing" → "Bad timing", `LOGISTICS_AND_SUPPLY_CHAIN` → "Logistics and supply chain").
 * Options that name none are left out: they stay unmapped until the admin picks a value.
 */
export function suggestValueMap(vocabulary: readonly string[], options: readonly FieldOption[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const o of options) {
    const hit = matchVocabulary(vocabulary, o.value) ?? matchVocabulary(vocabulary, o.label);
    if (hit !== null) map[o.value] = hit;
  }
  return map;
}

/**
 * The saved map completed with suggestions for options it does not mention (an option added in the CRM since the
 * admin saved gets its suggestion; an entry the admin set, or set to '' — "Unmapped — not imported" — is kept as set).
 */
export function completeValueMap(saved: ValueMap | null, vocabulary: readonly string[], options: readonly FieldOption[]): Record<string, string> {
  const suggested = suggestValueMap(vocabulary, options);
  if (!saved) return suggested;
  const out: Record<string, string> = { ...suggested };
  // A blank entry is the admin's "Unmapped — not imported": kept, so canonicalValue refuses that value.
  for (const [k, v] of Object.entries(saved)) out[k] = v;
  return out;
}

export type CanonicalValue = { mapped: true; value: string } | { mapped: false; value: string };

/**
 * An imported enumeration value in Conduit's vocabulary: its value-map entry (exact, then ignoring case; a blank entry
 * means "not imported"), else a value that already is a vocabulary entry (written differently: "bad timing"). Anything else is unmapped: the
 * caller leaves the field alone and reports it, so codes never mix with Conduit's values.
 */
export function canonicalValue(map: ValueMap, vocabulary: readonly string[], value: string): CanonicalValue {
  const own = Object.hasOwn(map, value) ? map[value] : undefined;
  // A blank entry: the admin chose "Unmapped — not imported" for this value, whatever it spells.
  if (own !== undefined && isBlank(own)) return { mapped: false, value };
  if (own !== undefined && vocabulary.includes(own)) return { mapped: true, value: own };
  const lower = value.toLowerCase();
  for (const [k, v] of Object.entries(map)) {
    if (k.toLowerCase() !== lower) continue;
    if (isBlank(v)) return { mapped: false, value };
    if (vocabulary.includes(v)) return { mapped: true, value: v };
  }
  const key = vocabularyKey(value);
  for (const v of vocabulary) if (vocabularyKey(v) === key) return { mapped: true, value: v };
  return { mapped: false, value };
}

/**
 * A value already stored in Conduit, in its vocabulary: a vocabulary entry written differently, a code or label some
 * connection's value map translates, or a synonym; null when nothing names it (it stays as it is and is reported).
 */
export function canonicalizeStored(vocabulary: readonly string[], maps: readonly ValueMap[], value: string): string | null {
  if (vocabulary.includes(value)) return value;
  for (const map of maps) {
    const c = canonicalValue(map, vocabulary, value);
    if (c.mapped) return c.value;
  }
  return matchVocabulary(vocabulary, value);
}

export interface ValueMapIssue {
  crmValue: string;
  message: string;
}

/** Entries whose Conduit value is not in the vocabulary (blank entries mean "unmapped" and are fine). */
export function validateValueMap(vocabulary: readonly string[], map: ValueMap): ValueMapIssue[] {
  const issues: ValueMapIssue[] = [];
  for (const [k, v] of Object.entries(map)) {
    if (isBlank(v)) continue;
    if (!vocabulary.includes(v)) issues.push({ crmValue: k, message: `"${v}" is not one of Conduit's values (${vocabulary.slice(0, 6).join(', ')}, …)` });
  }
  return issues;
}
