import type { ForecastVsActualDto } from '@conduit/contracts';
import { Card, Table, Text, Title } from '@mantine/core';
import { formatDateTime } from '../../../lib/format';
import { forecastLine, forecastRows } from './budget-format';

/** A run's forecast (made when the admin started it) next to what the run took. */
export function ForecastVsActual({ data, open }: { data: ForecastVsActualDto; open: boolean }) {
  const rows = forecastRows(data);
  return (
    <Card withBorder padding="md" data-testid="forecast-vs-actual">
      <Title order={5}>Forecast and what it took</Title>
      <Text size="xs" c="dimmed" mb="sm">
        Forecast made {formatDateTime(data.forecast.createdAt)}, before the run started{open ? '; the actual figures fill in when it ends' : ''}.
      </Text>
      <Table verticalSpacing={6} fz="sm" withRowBorders={false} style={{ maxWidth: 560 }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th>Forecast</Table.Th>
            <Table.Th>Actual</Table.Th>
            <Table.Th>Difference</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.label} data-testid={`forecast-row-${r.label === 'API calls' ? 'calls' : r.label.toLowerCase()}`}>
              <Table.Td fw={500}>{r.label}</Table.Td>
              <Table.Td>{r.forecast}</Table.Td>
              <Table.Td>{r.actual}</Table.Td>
              <Table.Td>
                <Text span size="sm" c={r.color}>
                  {r.error}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** The same in one line, for a table cell (a list's last sync started with a forecast). */
export function ForecastVsActualLine({ data }: { data: ForecastVsActualDto }) {
  return (
    <Text size="xs" c="dimmed" data-testid="forecast-vs-actual-line">
      {forecastLine(data)}
    </Text>
  );
}
