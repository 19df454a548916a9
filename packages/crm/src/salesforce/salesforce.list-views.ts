import type { CrmList } from '../contract.js';

/**
 * Salesforce list views as lists. A list view lives on an sObject (the REST resources are
 * `sobjects/{T}/listviews/{id}/…`), so its list id carries the object: `Lead/00B…` or `Contact/00B…`. Campaigns keep
 * their plain `701…` id.
 */
export const LIST_VIEW_OBJECTS = { Lead: 'lead', Contact: 'contact' } as const;
export type ListViewSObject = keyof typeof LIST_VIEW_OBJECTS;

/** `sobjects/{T}/listviews` as Salesforce answers it (one entry). */
export interface SalesforceListViewSummary {
  id: string;
  label: string;
  developerName?: string;
  soqlCompatible?: boolean;
}

/** `…/listviews/{id}/describe` (the parts Conduit reads). */
export interface SalesforceListViewDescribe {
  id: string;
  query: string;
  sobjectType: string;
  scope?: string | null;
}

export function listViewListId(sobject: ListViewSObject, viewId: string): string {
  return `${sobject}/${viewId}`;
}

/** The object and view id of a list view's list id; null for any other list (a Campaign). */
export function parseListViewId(listId: string): { sobject: ListViewSObject; viewId: string } | null {
  const m = /^(Lead|Contact)\/([A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?)$/.exec(listId);
  return m?.[2] ? { sobject: m[1] === 'Contact' ? 'Contact' : 'Lead', viewId: m[2] } : null;
}

/**
 * A list view as a list: dynamic (its filter is re-evaluated in Salesforce, so its members change without anyone
 * adding them), size unknown until read. Views Salesforce cannot express in SOQL (`soqlCompatible: false`, e.g.
 * "Recently viewed") cannot be read in full and are left out.
 */
export function toListViewList(sobject: ListViewSObject, v: SalesforceListViewSummary): CrmList | null {
  if (v.soqlCompatible === false) return null;
  return { id: listViewListId(sobject, v.id), name: v.label, kind: 'dynamic', size: null, updatedAt: null, source: 'list_view', object: LIST_VIEW_OBJECTS[sobject] };
}

/**
 * The describe's query reduced to what membership needs: `SELECT Id` and everything from the top-level FROM on
 * (object, `USING SCOPE`, `WHERE`), without its ORDER BY (a sort of every row by name that membership does not
 * need). Keywords inside string literals and parentheses (semi-joins) are not clause boundaries. Null when the
 * query has no top-level FROM.
 */
export function membershipQuery(query: string): string | null {
  const from = topLevelKeyword(query, 'FROM');
  if (from === null) return null;
  const order = topLevelKeyword(query, 'ORDER', from);
  let tail = order === null ? query.slice(from) : query.slice(from, order);
  if (order !== null) {
    // Anything after ORDER BY's list (LIMIT / OFFSET, which list view queries do not carry) stays.
    const limit = topLevelKeyword(query, 'LIMIT', order) ?? topLevelKeyword(query, 'OFFSET', order);
    if (limit !== null) tail = `${tail.trimEnd()} ${query.slice(limit)}`;
  }
  return `SELECT Id ${tail.trim()}`;
}

/** Index of the first `word` (a whole word, any case) at parenthesis depth 0 outside string literals, from `start`. */
function topLevelKeyword(text: string, word: string, start = 0): number | null {
  let depth = 0;
  let quoted = false;
  const upper = text.toUpperCase();
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === "'") quoted = false;
      continue;
    }
    if (c === "'") quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && upper.startsWith(word, i) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? ' ') && !/[A-Za-z0-9_]/.test(text[i + word.length] ?? ' ')) return i;
  }
  return null;
}
