import type { CrmFieldDto, CrmFieldOptionDto } from '@conduit/contracts';

/**
 * A CRM object's discovered fields as the workflow editor's pickers use them. `fields` is undefined while loading
 * and when discovery could not be read (`unavailable` then says why); the pickers then accept typed names only.
 */
export interface FieldCatalog {
  /** What one field is called in this CRM object, for hints: "HubSpot contact property", "Salesforce Lead field". */
  noun: string;
  /** HubSpot property names are case-sensitive; Salesforce field names are not. */
  caseSensitive?: boolean;
  fields: CrmFieldDto[] | undefined;
  loading: boolean;
  unavailable: string | null;
}

export const EMPTY_CATALOG: FieldCatalog = { noun: 'field', fields: undefined, loading: false, unavailable: null };

/** The discovered field with this API name (HubSpot names are lower case; Salesforce's compare case-insensitively). */
export function findField(catalog: FieldCatalog, name: string): CrmFieldDto | undefined {
  const wanted = name.trim();
  if (!wanted) return undefined;
  if (catalog.caseSensitive) return catalog.fields?.find((f) => f.name === wanted);
  return catalog.fields?.find((f) => f.name.toLowerCase() === wanted.toLowerCase());
}

/** The options of an enumeration / picklist field, or none. */
export function fieldOptions(catalog: FieldCatalog, name: string): CrmFieldOptionDto[] {
  return findField(catalog, name)?.options ?? [];
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * Items matching a search on their API name or label, best first: exact name, name prefix, label prefix, then
 * anywhere in either ("lead source" finds LeadSource, "original" finds hs_analytics_source by its label).
 */
export function rankByNameAndLabel<T extends { value: string; label: string }>(items: readonly T[], search: string, limit: number): T[] {
  const q = search.trim().toLowerCase();
  if (!q) return items.slice(0, limit);
  const nq = norm(q);
  const scored: { item: T; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const name = item.value.toLowerCase();
    const label = item.label.toLowerCase();
    let score = -1;
    if (name === q) score = 0;
    else if (name.startsWith(q)) score = 1;
    else if (label.startsWith(q)) score = 2;
    else if (name.includes(q) || label.includes(q)) score = 3;
    else if (nq && (norm(name).includes(nq) || norm(label).includes(nq))) score = 4;
    if (score >= 0) scored.push({ item, score, index });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .slice(0, limit)
    .map((s) => s.item);
}

/**
 * What the picker says under a name: the field's label (and custom / read-only), or why a name is not in the list.
 * A name that is not discovered is kept in the draft; the API refuses it on save (its 400 shows next to the input)
 * unless a newer discovery knows it, so a field created in the CRM a minute ago needs "Re-discover fields" first.
 */
export function nameHint(catalog: FieldCatalog, name: string, { writable = false }: { writable?: boolean } = {}): { text: string; warning: boolean } | null {
  if (catalog.unavailable) return { text: `${catalog.unavailable}: type the API name`, warning: true };
  if (!name.trim() || !catalog.fields) return null;
  const field = findField(catalog, name);
  if (!field) {
    const other = catalog.caseSensitive ? catalog.fields.find((f) => f.name.toLowerCase() === name.trim().toLowerCase()) : undefined;
    return { text: other ? `Not a discovered ${catalog.noun}: did you mean ${other.name}?` : `Not a discovered ${catalog.noun}: re-discover fields if it was just created`, warning: true };
  }
  if (writable && field.readOnly) return { text: `${field.label} is read-only`, warning: true };
  // A label that only repeats the name (Salesforce's City / City) says nothing; no warning is the confirmation.
  if (!field.custom && field.label.toLowerCase() === field.name.toLowerCase()) return null;
  return { text: [field.label, field.custom ? 'custom' : null].filter(Boolean).join(' · '), warning: false };
}

/** The label of an option value, when the value is one of them. */
export function optionHint(options: readonly CrmFieldOptionDto[], value: string): { text: string; warning: boolean } | null {
  const v = value.trim();
  if (!v || options.length === 0) return null;
  const option = options.find((o) => o.value === v) ?? options.find((o) => o.value.toLowerCase() === v.toLowerCase());
  if (!option) return { text: 'Not one of the options', warning: true };
  return option.label && option.label !== option.value ? { text: option.label, warning: false } : null;
}

/** A comma-separated list (the filter draft of in / not in) ↔ its items. */
export const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
export const joinList = (items: readonly string[]): string => items.join(', ');
