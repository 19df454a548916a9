import type { CrmListDto, CrmListSyncStatus } from '@conduit/contracts';
import { Badge, Tooltip } from '@mantine/core';

export const CRM_NAMES: Record<CrmListDto['crm'], string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** HubSpot MANUAL/SNAPSHOT lists and Salesforce Campaigns are static; HubSpot DYNAMIC lists are dynamic. */
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

export function DeletedInCrmBadge({ crm }: { crm: CrmListDto['crm'] }) {
  return (
    <Badge variant="light" color="red" radius="sm" tt="none">
      Deleted in {CRM_NAMES[crm]}
    </Badge>
  );
}

/** "Name · HubSpot · dynamic · 1,234 members": how a list reads in the pickers. */
export function listOptionLabel(list: Pick<CrmListDto, 'name' | 'crm' | 'kind' | 'memberCount' | 'size' | 'deletedInCrmAt'>): string {
  const size = list.size ?? list.memberCount;
  return `${list.name} · ${CRM_NAMES[list.crm]} · ${list.kind} · ${size.toLocaleString('en')}${list.deletedInCrmAt ? ' · deleted in CRM' : ''}`;
}
