import { Badge, Card, Loader, Text, Title } from '@mantine/core';
import { useEntityProvenance, type ProvenanceEntryDto } from '../../api/sync';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { ErrorState } from '../../components/error-state';
import { formatDateTime } from '../../lib/format';
import { formatValue, RULE_LABELS } from './sync-format';

const PROVENANCE_COLUMNS: DataTableColumn<ProvenanceEntryDto>[] = [
  { key: 'field', header: 'Field', cell: (e) => e.field },
  { key: 'value', header: 'Value', cell: (e) => formatValue(e.value) },
  {
    key: 'source',
    header: 'Source',
    cell: (e) => (
      <>
        <Badge variant="light" color={e.source === 'crm' ? 'blue' : 'gray'}>
          {e.source === 'crm' ? 'CRM' : 'Conduit'}
        </Badge>
        {e.crmField && (
          <Text size="xs" c="dimmed">
            {e.crmField}
            {e.crmRecordId ? ` · record ${e.crmRecordId}` : ''}
          </Text>
        )}
        {e.connectionId && (
          <Text size="xs" c="dimmed" title={e.connectionId}>
            connection {e.connectionId.slice(0, 8)}
          </Text>
        )}
      </>
    ),
  },
  { key: 'rule', header: 'Rule', cell: (e) => RULE_LABELS[e.rule] ?? e.rule },
  { key: 'at', header: 'When', cellStyle: { whiteSpace: 'nowrap' }, cell: (e) => formatDateTime(e.at) },
  { key: 'previous', header: 'Previous value', cell: (e) => formatValue(e.previousValue) },
];

/** "Why is this value here?": where each field's current value of a person or company came from. */
export function EntityProvenancePanel({ entity, id }: { entity: 'person' | 'company'; id: string }) {
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
          columns={PROVENANCE_COLUMNS}
          rows={provenance.data.current}
          rowKey={(e) => e.field}
          rowProps={(e) => ({ 'data-testid': `provenance-${e.field}` })}
          empty={
            <Text size="sm" c="dimmed">
              No recorded origin: these values were entered in Conduit before provenance was kept.
            </Text>
          }
          minWidth={760}
          verticalSpacing="xs"
          fz="sm"
        />
      )}
    </Card>
  );
}
