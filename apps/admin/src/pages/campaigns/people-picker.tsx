import type { PersonDto } from '@conduit/contracts';
import { CloseButton, Group, Input, Pill, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { usePeople, usePerson } from '../../api/people';
import { personName } from '../../lib/format';

const SHOWN = 50;

function PickedPerson({ id, onRemove }: { id: string; onRemove: () => void }) {
  const person = usePerson(id);
  const label = person.data ? personName(person.data) : person.isError ? 'Unknown person' : '…';
  return (
    <Pill withRemoveButton onRemove={onRemove} removeButtonProps={{ 'aria-label': `Remove ${label}` }}>
      {label}
    </Pill>
  );
}

/** Hand-picked audience people: search by name or email and add; each one shows as a removable pill. */
export function PeoplePicker({ value, onChange, error }: { value: string[]; onChange: (ids: string[]) => void; error?: string }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const people = usePeople({ search: debounced.trim() || undefined, pageSize: 20 });
  const options = (people.data?.items ?? [])
    .filter((p: PersonDto) => !value.includes(p.id))
    .map((p) => ({ value: p.id, label: p.email ? `${personName(p)} <${p.email}>` : personName(p) }));

  return (
    <Input.Wrapper label="Hand-picked people" description="People added one by one, on top of the lists" error={error}>
      <Stack gap="xs" mt={4}>
        <Select
          aria-label="Add a person"
          placeholder="Search people by name or email"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={options}
          value={null}
          onChange={(id) => {
            if (id) onChange([...value, id]);
            setSearch('');
          }}
          nothingFoundMessage={people.isFetching ? 'Searching…' : 'Nobody found'}
          filter={({ options: o }) => o}
          error={Boolean(error)}
        />
        {value.length > 0 && (
          <Group gap={6}>
            {value.slice(0, SHOWN).map((id) => (
              <PickedPerson key={id} id={id} onRemove={() => onChange(value.filter((v) => v !== id))} />
            ))}
            {value.length > SHOWN && (
              <Group gap={4}>
                <Text size="xs" c="dimmed">
                  and {value.length - SHOWN} more
                </Text>
                <CloseButton size="xs" aria-label="Remove all hand-picked people" onClick={() => onChange([])} />
              </Group>
            )}
          </Group>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
