import { Badge, Card, Loader, Table, Text, Title } from '@mantine/core';
import { useEntityProvenance } from '../../api/sync';
import { ErrorState } from '../../components/error-state';
import { formatDateTime } from '../../lib/format';
import { formatValue, RULE_LABELS } from './sync-format';

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
      ) : provenance.data.current.length === 0 ? (
        <Text size="sm" c="dimmed">
          No recorded origin: these values were entered in Conduit before provenance was kept.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table aria-label="Field provenance" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th>Rule</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Previous value</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {provenance.data.current.map((e) => (
                <Table.Tr key={e.field} data-testid={`provenance-${e.field}`}>
                  <Table.Td>{e.field}</Table.Td>
                  <Table.Td>{formatValue(e.value)}</Table.Td>
                  <Table.Td>
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
                  </Table.Td>
                  <Table.Td>{RULE_LABELS[e.rule] ?? e.rule}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>{formatValue(e.previousValue)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
