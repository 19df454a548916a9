import { makeId, normalizeId } from './ids.js';
import type { SObjectDef } from './schema.js';
import { parseSoql, SoqlError, type Condition, type Literal } from './soql.js';

/**
 * List views on Lead and Contact as the REST API serves them (`sobjects/{T}/listviews`, `…/{id}/describe`,
 * `…/{id}/results`): a label, the columns shown, a filter (a SOQL condition) and a scope (`everything` or `mine`,
 * "My …" views: the running user's records). Visibility is `public` (every user sees it) or `private` (its owner
 * only; to anyone else it answers 404 NOT_FOUND, as Salesforce hides what a user may not see).
 */
export interface ListViewDef {
  id: string;
  sobjectType: 'Lead' | 'Contact';
  developerName: string;
  label: string;
  /** Field names shown, in order (Id and the audit dates are added as hidden columns). */
  columns: string[];
  /** SOQL condition (what follows WHERE), or null for every record. */
  where: string | null;
  scope: 'everything' | 'mine';
  visibility: 'public' | 'private';
  ownerId: string;
  createdAt: string;
  lastModifiedAt: string;
}

export interface ListViewInput {
  sobjectType?: unknown;
  label?: unknown;
  developerName?: unknown;
  columns?: unknown;
  where?: unknown;
  scope?: unknown;
  visibility?: unknown;
  ownerId?: unknown;
}

export const LIST_VIEW_TYPES = ['Lead', 'Contact'] as const;
const LIST_VIEW_KEY_PREFIX = '00B';
const HIDDEN_COLUMNS = ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'];
const DEFAULT_COLUMNS: Record<ListViewDef['sobjectType'], string[]> = {
  Lead: ['Name', 'Company', 'State', 'Email', 'Status', 'OwnerId'],
  Contact: ['Name', 'AccountId', 'Phone', 'Email', 'OwnerId'],
};

/** The SOQL the list view runs: its columns, scope, filter, and Salesforce's default order (name, then id). */
export function listViewQuery(view: ListViewDef): string {
  const select = [...view.columns, ...HIDDEN_COLUMNS.filter((c) => !view.columns.includes(c))].join(', ');
  const scope = view.scope === 'mine' ? ' USING SCOPE mine' : '';
  const where = view.where === null ? '' : ` WHERE ${view.where}`;
  return `SELECT ${select} FROM ${view.sobjectType}${scope}${where} ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST`;
}

const OPERATORS: Record<string, string> = { '=': 'equals', '!=': 'notEqual', '<': 'lessThan', '>': 'greaterThan', '<=': 'lessOrEqual', '>=': 'greaterOrEqual' };

function literalText(v: Literal): string {
  switch (v.kind) {
    case 'string':
    case 'date':
    case 'datetime':
      return v.value;
    case 'number':
      return String(v.value);
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'range':
      return v.name.includes('_N_') || v.name === 'N_DAYS_AGO' ? `${v.name}:${v.n}` : v.name;
  }
}

/** The describe's `whereCondition` (SoqlWhereCondition: a condition, a group with a conjunction, or a not). */
export function whereConditionOf(c: Condition): Record<string, unknown> {
  switch (c.kind) {
    case 'and':
    case 'or':
      return { conditions: c.items.map(whereConditionOf), conjunction: c.kind };
    case 'not':
      return { condition: whereConditionOf(c.item) };
    case 'cmp':
      return { field: c.field.path, operator: OPERATORS[c.op] ?? 'equals', values: [literalText(c.value)] };
    case 'in':
      return { field: c.field.path, operator: c.negate ? 'notIn' : 'in', values: c.values.map(literalText) };
    case 'like':
      return { field: c.field.path, operator: 'like', values: [c.pattern] };
  }
}

/** Parses a filter as Salesforce would run it on `type`; the error text for a control request, or null when it parses. */
export function checkFilter(type: string, where: string | null): string | null {
  if (where === null) return null;
  try {
    parseSoql(`SELECT Id FROM ${type} WHERE ${where}`);
    return null;
  } catch (err) {
    if (err instanceof SoqlError) return err.message;
    throw err;
  }
}

/** The org's list views (kept with its state, seeded on reset). */
export class ListViewStore {
  private readonly views = new Map<string, ListViewDef>();
  private counter = 0;

  clear(): void {
    this.views.clear();
    this.counter = 0;
  }

  all(): ListViewDef[] {
    return [...this.views.values()];
  }

  /** The views of `type` the user sees: public ones and their own private ones, by label. */
  visible(type: string, userId: string): ListViewDef[] {
    return this.all()
      .filter((v) => v.sobjectType === type && (v.visibility === 'public' || v.ownerId === userId))
      .sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  }

  /** A view by 15- or 18-char id as `userId` may read it on `type`; undefined when deleted, hidden or on another object. */
  find(type: string, rawId: string, userId: string): ListViewDef | undefined {
    const id = normalizeId(rawId);
    const view = id === undefined ? undefined : this.views.get(id);
    if (view === undefined || view.sobjectType !== type) return undefined;
    return view.visibility === 'public' || view.ownerId === userId ? view : undefined;
  }

  get(rawId: string): ListViewDef | undefined {
    const id = normalizeId(rawId);
    return id === undefined ? undefined : this.views.get(id);
  }

  /** Creates a view from a control request; an error message names the bad field. */
  create(input: ListViewInput, defaults: { ownerId: string; now: string; describe: (type: string) => SObjectDef | undefined }): ListViewDef | string {
    const type = input.sobjectType;
    if (type !== 'Lead' && type !== 'Contact') return "sobjectType must be 'Lead' or 'Contact'";
    if (typeof input.label !== 'string' || input.label.trim() === '') return 'label is required';
    this.counter += 1;
    const view: ListViewDef = {
      id: makeId(LIST_VIEW_KEY_PREFIX, this.counter),
      sobjectType: type,
      developerName: typeof input.developerName === 'string' && input.developerName !== '' ? input.developerName : developerNameOf(input.label),
      label: input.label.trim(),
      columns: DEFAULT_COLUMNS[type],
      where: null,
      scope: 'everything',
      visibility: 'public',
      ownerId: defaults.ownerId,
      createdAt: defaults.now,
      lastModifiedAt: defaults.now,
    };
    const error = applyChange(view, input, defaults.describe);
    if (error !== null) {
      this.counter -= 1;
      return error;
    }
    this.views.set(view.id, view);
    return view;
  }

  update(rawId: string, input: ListViewInput, now: string, describe: (type: string) => SObjectDef | undefined): ListViewDef | string | undefined {
    const view = this.get(rawId);
    if (view === undefined) return undefined;
    const next: ListViewDef = { ...view };
    if (typeof input.label === 'string' && input.label.trim() !== '') next.label = input.label.trim();
    const error = applyChange(next, input, describe);
    if (error !== null) return error;
    next.lastModifiedAt = now;
    this.views.set(next.id, next);
    return next;
  }

  delete(rawId: string): boolean {
    const id = normalizeId(rawId);
    return id !== undefined && this.views.delete(id);
  }

  snapshot(): { counter: number; views: ListViewDef[] } {
    return { counter: this.counter, views: this.all() };
  }

  load(state: { counter: number; views: ListViewDef[] } | undefined): void {
    this.clear();
    if (state === undefined) return;
    this.counter = state.counter;
    for (const v of state.views) this.views.set(v.id, v);
  }
}

function developerNameOf(label: string): string {
  const words = label.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter((w) => w !== '');
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('_');
  return /^[A-Za-z]/.test(name) ? name : `View_${name}`;
}

/** Filter, scope, columns, visibility and owner of a create/update request, checked. */
function applyChange(view: ListViewDef, input: ListViewInput, describe: (type: string) => SObjectDef | undefined): string | null {
  if (input.where !== undefined) {
    if (input.where !== null && typeof input.where !== 'string') return 'where must be a SOQL condition (text) or null';
    const where = input.where === null || input.where.trim() === '' ? null : input.where.trim();
    const error = checkFilter(view.sobjectType, where);
    if (error !== null) return `where: ${error}`;
    view.where = where;
  }
  if (input.scope !== undefined) {
    if (input.scope !== 'everything' && input.scope !== 'mine') return "scope must be 'everything' or 'mine'";
    view.scope = input.scope;
  }
  if (input.visibility !== undefined) {
    if (input.visibility !== 'public' && input.visibility !== 'private') return "visibility must be 'public' or 'private'";
    view.visibility = input.visibility;
  }
  if (input.ownerId !== undefined) {
    if (typeof input.ownerId !== 'string' || normalizeId(input.ownerId) === undefined) return 'ownerId must be a User id';
    view.ownerId = normalizeId(input.ownerId) ?? input.ownerId;
  }
  if (input.columns !== undefined) {
    const def = describe(view.sobjectType);
    if (!Array.isArray(input.columns) || input.columns.length === 0) return 'columns must be a non-empty list of field names';
    const names: string[] = [];
    for (const c of input.columns) {
      const field = typeof c === 'string' ? def?.byLowerName.get(c.toLowerCase()) : undefined;
      if (field === undefined) return `columns: no field ${String(c)} on ${view.sobjectType}`;
      names.push(field.name);
    }
    view.columns = names;
  }
  return null;
}

/** The demo org's list views: a "My …" view, a filter on a picklist and one on Contacts. */
export function seedListViews(views: ListViewStore, ownerId: string, now: string, describe: (type: string) => SObjectDef | undefined): void {
  const seeds: ListViewInput[] = [
    { sobjectType: 'Lead', label: 'My open leads', developerName: 'MyOpenLeads', scope: 'mine', where: "IsConverted = false AND Status LIKE 'Open%'" },
    { sobjectType: 'Lead', label: 'Technology industry', developerName: 'Technology_Industry', where: "IsConverted = false AND Industry = 'Technology'" },
    { sobjectType: 'Contact', label: 'Contacts in California', developerName: 'Contacts_In_California', where: "MailingState = 'CA'", columns: ['Name', 'AccountId', 'MailingState', 'Email', 'OwnerId'] },
  ];
  for (const seed of seeds) {
    const made = views.create(seed, { ownerId, now, describe });
    if (typeof made === 'string') throw new Error(`list view seed: ${made}`);
  }
}
