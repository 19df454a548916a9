import type { EngagementState, PersonDto } from '@conduit/contracts';

export function personName(person: Pick<PersonDto, 'firstName' | 'lastName' | 'email'>): string {
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  return name || person.email || 'Unnamed prospect';
}

export function initials(name: string): string {
  const parts = name.split(/[\s@.]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

export const ENGAGEMENT_LABELS: Record<EngagementState, string> = {
  not_contacted: 'Not contacted',
  contacted: 'Contacted',
  replied: 'Replied',
  replied_positive: 'Replied positive',
  replied_negative: 'Replied negative',
};

export const ENGAGEMENT_COLORS: Record<EngagementState, string> = {
  not_contacted: 'gray',
  contacted: 'blue',
  replied: 'cyan',
  replied_positive: 'teal',
  replied_negative: 'red',
};

/**
 * Conduit's lead statuses: the vocabulary imports translate both CRMs' statuses into (value maps, @conduit/mapping's
 * LEAD_STATUS_VOCABULARY), so a status picked here is the one filters and campaign rules find.
 */
export const LEAD_STATUSES = ['New', 'Open', 'Not contacted', 'Attempted to contact', 'Working', 'Connected', 'In progress', 'Open deal', 'Qualified', 'Unqualified', 'Bad timing', 'Nurturing', 'Converted', 'Not converted'];

/** The lead status picker's options: the vocabulary, plus a value someone holds outside it (kept, shown in words). */
export function leadStatusOptions(current: string | null | undefined): { value: string; label: string }[] {
  return [...new Set([...LEAD_STATUSES, ...(current ? [current] : [])])].map((value) => ({ value, label: leadStatusLabel(value) }));
}

/** Shows CRM-style codes (`IN_PROGRESS`) as words and leaves labels people typed as they are. */
export function leadStatusLabel(value: string): string {
  return /^[A-Z0-9_]+$/.test(value) ? humanize(value) : value;
}

export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateFormat.format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTimeFormat.format(date);
}

/** Removes empty strings so optional fields are omitted rather than sent as "". */
export function compact<T extends Record<string, unknown>>(values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(values) as [keyof T, T[keyof T]][]) {
    if (typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null) {
      out[key] = (typeof value === 'string' ? value.trim() : value) as T[keyof T];
    }
  }
  return out;
}

const timeFormat = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

/** "10:32 AM" today, "Dec 5, 10:32 AM" on another day. */
export function formatTimeOfDay(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}

/** How long until `iso`, in words: "in 40 s", "in 2 min", "in 3 h"; "now" once it has passed. */
export function formatIn(iso: string, now: Date = new Date()): string {
  const s = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  if (!Number.isFinite(s) || s <= 0) return 'now';
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.round(s / 60)} min`;
  if (s < 86_400) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86_400)} d`;
}
