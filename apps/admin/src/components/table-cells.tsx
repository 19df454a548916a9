import { ActionIcon, Select, type MantineSize } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';

export interface ChoiceOption<V extends string> {
  value: V;
  label: string;
}

/**
 * A table cell's select of fixed choices (import priority, export behaviour, source of truth, a value table's column):
 * always one of its options (never cleared), told of a pick by its typed value. The editable tables of the mapping
 * dialog and the workflow editors share it.
 */
export function ChoiceSelect<V extends string>({
  label,
  data,
  value,
  onChange,
  disabled,
  error,
  size,
  searchable,
}: {
  /** The accessible name, unique on the page ("Import priority for Job title"). */
  label: string;
  data: readonly ChoiceOption<V>[];
  value: V | null;
  onChange: (value: V) => void;
  disabled?: boolean;
  error?: string | undefined;
  size?: MantineSize;
  searchable?: boolean;
}) {
  return (
    <Select<V>
      aria-label={label}
      data={[...data]}
      value={value}
      onChange={(v) => {
        if (v !== null) onChange(v);
      }}
      allowDeselect={false}
      disabled={disabled}
      error={error}
      size={size}
      searchable={searchable}
    />
  );
}

/** The trash button that removes a row of an editable table. */
export function RemoveRowButton({ label, onRemove, color = 'red' }: { label: string; onRemove: () => void; color?: 'red' | 'gray' }) {
  return (
    <ActionIcon variant="subtle" color={color} aria-label={label} onClick={onRemove}>
      <IconTrash size={16} />
    </ActionIcon>
  );
}
