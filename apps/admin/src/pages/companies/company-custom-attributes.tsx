import { Card, Table, Text } from '@mantine/core';

function display(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A company's Conduit custom attributes (set through the API, or imported by custom rows of the Companies mapping tab). */
export function CompanyCustomAttributes({ attributes }: { attributes: Record<string, unknown> | undefined }) {
  const entries = Object.entries(attributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Card withBorder padding="lg" data-testid="company-custom-attributes">
      <Text fw={600} mb="xs">
        Custom attributes
      </Text>
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          No custom attribute. Map a CRM field to one in the Companies tab of the property mapping.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={6} aria-label="Company custom attributes">
          <Table.Tbody>
            {entries.map(([key, value]) => (
              <Table.Tr key={key}>
                <Table.Td w="40%" c="dimmed">
                  {key}
                </Table.Td>
                <Table.Td>{display(value)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
