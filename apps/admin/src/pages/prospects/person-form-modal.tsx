import { ENGAGEMENT_STATES, type CreatePersonBody, type EngagementState, type PersonDto } from '@conduit/contracts';
import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useCreatePerson, useUpdatePerson, type PersonPatch } from '../../api/people';
import { useTeam } from '../../api/team';
import { describeSubmitError } from '../../lib/form-errors';
import { ENGAGEMENT_LABELS, leadStatusOptions, personName } from '../../lib/format';

interface PersonFormValues {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  jobTitle: string;
  companyName: string;
  city: string;
  country: string;
  linkedinUrl: string;
  leadStatus: string;
  engagementState: EngagementState;
  assignedUserId: string;
  qualificationReasoning: string;
}

const FORM_FIELDS: (keyof PersonFormValues)[] = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'jobTitle',
  'companyName',
  'city',
  'country',
  'linkedinUrl',
  'leadStatus',
  'engagementState',
  'assignedUserId',
  'qualificationReasoning',
];

function toValues(person: PersonDto | null): PersonFormValues {
  return {
    firstName: person?.firstName ?? '',
    lastName: person?.lastName ?? '',
    email: person?.email ?? '',
    phone: person?.phone ?? '',
    jobTitle: person?.jobTitle ?? '',
    companyName: person?.companyName ?? '',
    city: person?.city ?? '',
    country: person?.country ?? '',
    linkedinUrl: person?.linkedinUrl ?? '',
    leadStatus: person?.leadStatus ?? '',
    engagementState: person?.engagementState ?? 'not_contacted',
    assignedUserId: person?.assignedUserId ?? '',
    qualificationReasoning: person?.qualificationReasoning ?? '',
  };
}

/** On create, every filled field. */
export function createPersonBody(values: PersonFormValues): CreatePersonBody {
  const body: Record<string, string> = {};
  for (const field of FORM_FIELDS) {
    // Clearable selects hand back null; treat it as empty.
    const value = (values[field] ?? '').trim();
    if (value !== '') body[field] = value;
  }
  return body;
}

/**
 * On edit, only what changed (so a PATCH never overwrites a value someone else set meanwhile);
 * a field emptied on purpose is sent as null, which clears it.
 */
export function personPatch(values: PersonFormValues, initial: PersonFormValues): PersonPatch {
  const body: Record<string, string | null> = {};
  for (const field of FORM_FIELDS) {
    const value = (values[field] ?? '').trim();
    if (value === initial[field].trim()) continue;
    body[field] = value === '' ? null : value;
  }
  return body;
}

export function PersonFormModal({ opened, onClose, person }: { opened: boolean; onClose: () => void; person: PersonDto | null }) {
  // Remount the form whenever the modal opens for another record so the values start fresh.
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={<Text fw={600}>{person ? `Edit ${personName(person)}` : 'Add prospect'}</Text>}>
      {opened && <PersonForm key={person?.id ?? 'new'} person={person} onDone={onClose} />}
    </Modal>
  );
}

function PersonForm({ person, onDone }: { person: PersonDto | null; onDone: () => void }) {
  const create = useCreatePerson();
  const update = useUpdatePerson();
  const team = useTeam();
  const initial = toValues(person);
  const form = useForm<PersonFormValues>({ mode: 'controlled', initialValues: initial });
  const [summary, setSummary] = useState<string | null>(null);
  const pending = create.isPending || update.isPending;

  const onError = (error: unknown) => {
    const { fieldErrors, summary: message } = describeSubmitError(error, FORM_FIELDS);
    form.setErrors(fieldErrors);
    setSummary(message ?? (Object.keys(fieldErrors).length ? 'Please fix the highlighted fields.' : null));
  };

  const submit = form.onSubmit((values) => {
    setSummary(null);
    if (person) {
      const body = personPatch(values, initial);
      if (Object.keys(body).length === 0) return onDone();
      update.mutate(
        { id: person.id, body },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'teal', title: 'Prospect updated', message: personName(saved) });
            onDone();
          },
          onError,
        },
      );
    } else {
      create.mutate(createPersonBody(values), {
        onSuccess: (saved) => {
          notifications.show({ color: 'teal', title: 'Prospect added', message: personName(saved) });
          onDone();
        },
        onError,
      });
    }
  });

  const teamOptions = (team.data ?? []).map((user) => ({ value: user.id, label: user.name }));

  return (
    <form onSubmit={submit} noValidate aria-label={person ? 'Edit prospect' : 'Add prospect'}>
      <Stack gap="md">
        {summary && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert" data-testid="form-error">
            {summary}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <TextInput label="First name" {...form.getInputProps('firstName')} data-autofocus />
          <TextInput label="Last name" {...form.getInputProps('lastName')} />
          <TextInput label="Email" type="email" placeholder="name@company.com" {...form.getInputProps('email')} />
          <TextInput label="Phone" {...form.getInputProps('phone')} />
          <TextInput label="Job title" {...form.getInputProps('jobTitle')} />
          <TextInput label="Company" {...form.getInputProps('companyName')} />
          <TextInput label="City" {...form.getInputProps('city')} />
          <TextInput label="Country" {...form.getInputProps('country')} />
        </SimpleGrid>
        <TextInput label="LinkedIn URL" placeholder="https://www.linkedin.com/in/…" {...form.getInputProps('linkedinUrl')} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select label="Lead status" placeholder="No status" data={leadStatusOptions(initial.leadStatus)} searchable clearable {...form.getInputProps('leadStatus')} />
          <Select
            label="Engagement"
            data={ENGAGEMENT_STATES.map((state) => ({ value: state, label: ENGAGEMENT_LABELS[state] }))}
            allowDeselect={false}
            {...form.getInputProps('engagementState')}
          />
          <Select label="Owner" placeholder="Unassigned" data={teamOptions} clearable {...form.getInputProps('assignedUserId')} />
        </SimpleGrid>
        <Textarea label="Qualification reasoning" autosize minRows={2} maxRows={6} {...form.getInputProps('qualificationReasoning')} />
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onDone} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {person ? 'Save changes' : 'Add prospect'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
