import { Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ChoiceSelect, RemoveRowButton } from '../../components/table-cells';

export interface RowsColumn<R> {
  key: keyof R & string;
  label: string;
  placeholder?: string;
  /** A select with these options instead of a text input. */
  options?: { value: string; label: string }[];
  /** Select: the empty choice's label (the value is then null). */
  emptyOption?: string;
  /** The input's accessible name before " for 'row key'" / " of <row noun> N" (default: `label`). */
  ariaLabel?: string;
  /** Custom cell (overrides the text input / select); `aria` is the cell's accessible name. */
  render?: (row: R, index: number, set: (patch: Partial<R>) => void, error: string | undefined, aria: string) => ReactNode;
  width?: number | string;
}

const keyText = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');

/**
 * Accessible names of a table's cells, unique on the page: the key column is "<label> of <noun> N"; the others
 * name the row by its key value ("Salesforce Lead Source for 'ORGANIC_SEARCH'"), or by number while the key is
 * empty or repeated in the table.
 */
export function cellLabels<R extends object>(rows: readonly R[], columns: readonly Pick<RowsColumn<R>, 'key' | 'label' | 'ariaLabel'>[], keyColumn: keyof R & string, rowNoun: string): string[][] {
  const keys = rows.map((r) => keyText(r[keyColumn]));
  const count = new Map<string, number>();
  for (const k of keys) if (k) count.set(k.toLowerCase(), (count.get(k.toLowerCase()) ?? 0) + 1);
  return rows.map((_, i) => {
    const key = keys[i] ?? '';
    const numbered = `${rowNoun} ${i + 1}`;
    const ref = key && count.get(key.toLowerCase()) === 1 ? `'${key}'` : numbered;
    return columns.map((c) => (c.key === keyColumn ? `${c.ariaLabel ?? c.label} of ${numbered}` : `${c.ariaLabel ?? c.label} for ${ref}`));
  });
}

/**
 * An editable table of rows (value tables, territories, field mappings). Each cell shows the API's error for its
 * path (`${path}.${index}.${key}`) under the input and has an accessible name unique on the page (`cellLabels`).
 */
export function RowsEditor<R extends object>({
  label,
  path,
  rows,
  columns,
  keyColumn,
  rowNoun,
  onChange,
  newRow,
  errors,
  readOnly,
  addLabel = 'Add row',
  empty = 'No rows yet.',
}: {
  label: string;
  path: string;
  rows: R[];
  columns: RowsColumn<R>[];
  /** The column whose value names a row ("for 'ORGANIC_SEARCH'"). */
  keyColumn: keyof R & string;
  /** What one row is called, for numbered names ("Lead Source row 2"); unique on the page. */
  rowNoun: string;
  onChange: (rows: R[]) => void;
  newRow: () => R;
  errors: Record<string, string>;
  readOnly: boolean;
  addLabel?: string;
  empty?: string;
}) {
  const set = (i: number, patch: Partial<R>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const labels = cellLabels(rows, columns, keyColumn, rowNoun);
  return (
    <Stack gap="xs">
      {/* A phone would squeeze the selects to a few letters: below 960 px the table scrolls instead. */}
      <Table.ScrollContainer minWidth={960} type="native">
        <Table aria-label={label} withRowBorders={false} verticalSpacing={4} horizontalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.key} w={c.width}>
                  <Text size="xs" c="dimmed" fw={600}>
                    {c.label}
                  </Text>
                </Table.Th>
              ))}
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={columns.length + 1}>
                  <Text size="sm" c="dimmed">
                    {empty}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows.map((row, i) => (
              <Table.Tr key={i} data-testid={`${path}-row`}>
                {columns.map((c, ci) => {
                  const error = errors[`${path}.${i}.${c.key}`];
                  const value = row[c.key] as unknown;
                  const aria = labels[i]?.[ci] ?? `${c.label} of ${rowNoun} ${i + 1}`;
                  return (
                    <Table.Td key={c.key} style={{ verticalAlign: 'top' }}>
                      {c.render ? (
                        c.render(row, i, (patch) => set(i, patch), error, aria)
                      ) : c.options ? (
                        <ChoiceSelect
                          size="xs"
                          label={aria}
                          data={c.emptyOption ? [{ value: '', label: c.emptyOption }, ...c.options] : c.options}
                          value={typeof value === 'string' ? value : ''}
                          onChange={(v) => set(i, { [c.key]: c.emptyOption && !v ? null : v } as Partial<R>)}
                          error={error}
                          disabled={readOnly}
                        />
                      ) : (
                        <TextInput
                          size="xs"
                          aria-label={aria}
                          placeholder={c.placeholder}
                          value={typeof value === 'string' || typeof value === 'number' ? String(value) : ''}
                          onChange={(e) => set(i, { [c.key]: e.currentTarget.value } as Partial<R>)}
                          error={error}
                          disabled={readOnly}
                        />
                      )}
                    </Table.Td>
                  );
                })}
                <Table.Td style={{ verticalAlign: 'top' }}>
                  {!readOnly && (
                    <RemoveRowButton color="gray" label={`Remove ${rowNoun} ${i + 1}`} onRemove={() => onChange(rows.filter((_, j) => j !== i))} />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {errors[path] && (
        <Text size="xs" c="red">
          {errors[path]}
        </Text>
      )}
      {!readOnly && (
        <Group>
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => onChange([...rows, newRow()])}>
            {addLabel}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
