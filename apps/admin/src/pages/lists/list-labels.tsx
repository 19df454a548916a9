import type { CrmListDto, CrmListSyncStatus } from '@conduit/contracts';
import { Badge, type ComboboxRenderPillInput, Pill, Tooltip } from '@mantine/core';

export const CRM_NAMES: Record<CrmListDto['crm'], string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** HubSpot MANUAL/SNAPSHOT lists and Salesforce Campaigns are static; HubSpot DYNAMIC lists and Salesforce list views are dynamic. */
export const KIND_LABELS: Record<CrmListDto['kind'], string> = { static: 'Static', dynamic: 'Dynamic' };

const STATUS: Record<CrmListSyncStatus, { label: string; color: string }> = {
  never: { label: 'Not synced', color: 'gray' },
  pending: { label: 'Queued', color: 'blue' },
  running: { label: 'Syncing', color: 'blue' },
  paused: { label: 'Paused', color: 'yellow' },
  ok: { label: 'Synced', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
};

export function SyncStatusBadge({ list }: { list: Pick<CrmListDto, 'syncStatus' | 'lastError'> }) {
  const { label, color } = STATUS[list.syncStatus];
  const badge = (
    <Badge variant="light" color={color} radius="sm" data-status={list.syncStatus}>
      {label}
    </Badge>
  );
  return list.syncStatus === 'failed' && list.lastError ? (
    <Tooltip label={list.lastError} multiline w={320}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

const OBJECT_PLURALS: Record<NonNullable<CrmListDto['crmObject']>, string> = { lead: 'Leads', contact: 'Contacts' };

type ListIdentity = Pick<CrmListDto, 'name' | 'crm' | 'source' | 'crmObject'>;

/** What the list is, in the CRM's words: "Salesforce list view · Leads", "Salesforce Campaign", "HubSpot list". */
export function listSourceLabel(list: Omit<ListIdentity, 'name'>): string {
  switch (list.source) {
    case 'list_view':
      return `${CRM_NAMES[list.crm]} list view · ${list.crmObject ? OBJECT_PLURALS[list.crmObject] : 'Records'}`;
    case 'campaign':
      return `${CRM_NAMES[list.crm]} Campaign`;
    case 'list':
      return `${CRM_NAMES[list.crm]} list`;
  }
}

/** "Salesforce list view · Leads · Technology industry" for list views; other lists by their name. */
export function listTitle(list: ListIdentity): string {
  return list.source === 'list_view' ? `${listSourceLabel(list)} · ${list.name}` : list.name;
}

/** "Deleted in Salesforce" / "Unreadable in Salesforce", with the reason on hover. */
export function UnavailableBadge({ list }: { list: Pick<CrmListDto, 'crm' | 'unavailable'> }) {
  if (!list.unavailable) return null;
  return (
    <Tooltip label={`${list.unavailable.reason} Conduit keeps its last members.`} multiline w={320}>
      <Badge variant="light" color="red" radius="sm" tt="none" data-testid="list-unavailable">
        {list.unavailable.state === 'deleted' ? 'Deleted' : 'Unreadable'} in {CRM_NAMES[list.crm]}
      </Badge>
    </Tooltip>
  );
}

/**
 * How a list reads in the pickers: "Salesforce list view · Leads · Technology industry · dynamic · 1,234" or
 * "Q1 outbound · HubSpot list · static · 250"; the size is left out while a list view has not been read yet.
 */
export function listOptionLabel(list: ListIdentity & Pick<CrmListDto, 'kind' | 'memberCount' | 'size' | 'unavailable'>): string {
  const size = list.size ?? (list.memberCount > 0 ? list.memberCount : null);
  const parts = [list.source === 'list_view' ? listTitle(list) : `${list.name} · ${listSourceLabel(list)}`, list.kind, ...(size === null ? [] : [size.toLocaleString('en')])];
  if (list.unavailable) parts.push(list.unavailable.state === 'deleted' ? 'deleted in CRM' : 'unreadable in CRM');
  return parts.join(' · ');
}

/** A picked list in a picker: its whole label, wrapped over lines rather than cut off ("Salesforce list view · Leads · …"). */
export function ListPill({ option, onRemove, disabled }: ComboboxRenderPillInput<string>) {
  return (
    <Pill
      withRemoveButton={!disabled}
      onRemove={onRemove}
      removeButtonProps={{ 'aria-label': `Remove ${option.label}` }}
      styles={{
        root: { height: 'auto', maxWidth: '100%', flexBasis: '100%', justifyContent: 'space-between', borderRadius: 'var(--mantine-radius-sm)' },
        label: { whiteSpace: 'normal', lineHeight: 1.35, paddingBlock: 3, overflow: 'visible' },
      }}
    >
      {option.label}
    </Pill>
  );
}
