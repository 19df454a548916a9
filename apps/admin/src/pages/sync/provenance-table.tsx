import { Anchor, Badge, Card, Loader, Stack, Text, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useEntityProvenance, type ProvenanceEntryDto } from '../../api/sync';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { ErrorState } from '../../components/error-state';
import { fieldLabel } from '../../lib/field-labels';
import { formatDateTime } from '../../lib/format';
import { formatValue, RULE_LABELS } from './sync-format';

const CRM_NAME = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;
/** What each CRM calls the record's object. */
const OBJECT_NAME: Record<keyof typeof CRM_NAME, Partial<Record<string, string>>> = {
  hubspot: { contact: 'contact', company: 'company' },
  salesforce: { contact: 'Contact', lead: 'Lead', company: 'Account' },
};

/** Where a value came from, in words: "HubSpot contact Jane Doe ↗ · field Lead Status", or "Conduit". */
function SourceCell({ entry, recordName }: { entry: ProvenanceEntryDto; recordName: string }) {
  if (entry.source !== 'crm') {
    return (
      <Badge variant="light" color="gray" style={{ overflow: 'visible' }}>
        Conduit
      </Badge>
    );
  }
  const crm = entry.crm ? CRM_NAME[entry.crm] : 'A CRM no longer connected';
  const object = entry.crm && entry.crmObject ? (OBJECT_NAME[entry.crm][entry.crmObject] ?? entry.crmObject) : 'record';
  const record = `${object} ${recordName}`;
  return (
    <Stack gap={2}>
      <Text size="sm">
        {crm}{' '}
        {entry.crmRecordUrl ? (
          <Anchor href={entry.crmRecordUrl} target="_blank" rel="noreferrer" size="sm" data-testid="provenance-record-link">
            {record}
            <IconExternalLink size={12} style={{ marginLeft: 2, verticalAlign: 'middle' }} aria-label={`opens in ${crm}`} />
          </Anchor>
        ) : (
          record
        )}
      </Text>
      {entry.crmField && (
        <Text size="xs" c="dimmed">
          field {entry.crmFieldLabel ?? entry.crmField}
        </Text>
      )}
    </Stack>
  );
}

/** A value in words: an id by its name (the company linked to its page), anything else as it reads. */
function ValueCell({ field, value, label }: { field: string; value: unknown; label: string | null }) {
  if (label && field === 'companyId' && typeof value === 'string') {
    return (
      <Anchor component={Link} to={`/companies/${value}`} size="sm">
        {label}
      </Anchor>
    );
  }
  // An id whose row is gone (a deleted company) says so rather than showing the id.
  if (typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value)) return <>{label ?? 'a record since deleted'}</>;
  return <>{formatValue(value)}</>;
}

function columns(entity: 'person' | 'company', recordName: string): DataTableColumn<ProvenanceEntryDto>[] {
  return [
    { key: 'field', header: 'Field', cell: (e) => fieldLabel(e.field, entity) },
    { key: 'value', header: 'Value', cellStyle: { overflowWrap: 'anywhere' }, cell: (e) => <ValueCell field={e.field} value={e.value} label={e.valueLabel} /> },
    { key: 'source', header: 'Source', cell: (e) => <SourceCell entry={e} recordName={recordName} /> },
    { key: 'rule', header: 'Rule', cell: (e) => RULE_LABELS[e.rule] ?? e.rule },
    { key: 'at', header: 'When', cell: (e) => formatDateTime(e.at) },
    { key: 'previous', header: 'Previous value', cellStyle: { overflowWrap: 'anywhere' }, cell: (e) => <ValueCell field={e.field} value={e.previousValue} label={e.previousValueLabel} /> },
  ];
}

/**
 * "Why is this value here?": where each field's current value of a person or company came from — the field's label,
 * the CRM by name with a link to the record there (`recordName` is how the record is called), never keys or ids.
 */
export function EntityProvenancePanel({ entity, id, recordName }: { entity: 'person' | 'company'; id: string; recordName: string }) {
  const provenance = useEntityProvenance(entity, id);
  return (
    <Card withBorder padding="lg" data-testid="provenance-panel">
      <Title order={4} mb="xs">
        Why is this value here?
      </Title>
      {provenance.isPending ? (
        <Loader size="sm" />
      ) : provenance.isError ? (
        <ErrorState error={provenance.error} title="Could not load where the values came from" onRetry={() => void provenance.refetch()} />
      ) : (
        <DataTable
          label="Field provenance"
          columns={columns(entity, recordName)}
          rows={provenance.data.current}
          rowKey={(e) => e.field}
          rowProps={(e) => ({ 'data-testid': `provenance-${e.field}` })}
          empty={
            <Text size="sm" c="dimmed">
              No recorded origin: these values were entered in Conduit before provenance was kept.
            </Text>
          }
          minWidth={600}
          verticalSpacing="xs"
          fz="sm"
        />
      )}
    </Card>
  );
}
