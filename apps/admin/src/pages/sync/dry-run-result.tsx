import { Card, SimpleGrid, Table, Text } from '@mantine/core';
import type { SyncRunDto } from '../../api/sync';
import { formatValue, RULE_LABELS } from './sync-format';

/** What a finished dry run found: would create / update / unchanged / failed, and a sample of field diffs (old → new, rule). */
export function DryRunResult({ run }: { run: SyncRunDto }) {
  return (
    <>
      <SimpleGrid cols={4} data-testid="dry-run-counts">
        {(['created', 'updated', 'unchanged', 'failed'] as const).map((k) => (
          <Card key={k} withBorder padding="sm">
            <Text size="xs" c="dimmed" tt="capitalize">
              {k === 'created' ? 'Would create' : k === 'updated' ? 'Would update' : k}
            </Text>
            <Text fw={700} size="xl" data-testid={`dry-run-${k}`}>
              {run.counts[k].toLocaleString('en')}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {run.sample && run.sample.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Sample field changes" fz="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Record</Table.Th>
                <Table.Th>Field</Table.Th>
                <Table.Th>Old → new</Table.Th>
                <Table.Th>Rule</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.sample.map((d, i) => (
                <Table.Tr key={`${d.crmId}-${d.field}-${i}`} data-testid="sample-diff">
                  <Table.Td>
                    {d.entity} {d.crmId} ({d.action})
                  </Table.Td>
                  <Table.Td>{d.field}</Table.Td>
                  <Table.Td>
                    {formatValue(d.from)} → {formatValue(d.to)}
                  </Table.Td>
                  <Table.Td>{RULE_LABELS[d.rule] ?? d.rule}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Text size="sm" c="dimmed">
          No field would change.
        </Text>
      )}
    </>
  );
}
