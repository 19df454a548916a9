import type { CompanyDto, CreateCompanyBody } from '@conduit/contracts';
import { Alert, Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useCreateCompany, useUpdateCompany, type CompanyPatch } from '../../api/companies';
import { describeSubmitError } from '../../lib/form-errors';

interface CompanyFormValues {
  name: string;
  domain: string;
  website: string;
  industry: string;
  employeeCount: number | string;
  city: string;
  country: string;
}

const TEXT_FIELDS = ['name', 'domain', 'website', 'industry', 'city', 'country'] as const;
const FORM_FIELDS = [...TEXT_FIELDS, 'employeeCount'] as const;

function toValues(company: CompanyDto | null): CompanyFormValues {
  return {
    name: company?.name ?? '',
    domain: company?.domain ?? '',
    website: company?.website ?? '',
    industry: company?.industry ?? '',
    employeeCount: company?.employeeCount ?? '',
    city: company?.city ?? '',
    country: company?.country ?? '',
  };
}

function employees(value: number | string): number | null {
  // NumberInput gives '' when empty.
  return value === '' ? null : Number(value);
}

export function createCompanyBody(values: CompanyFormValues): CreateCompanyBody {
  const body: CreateCompanyBody = { name: values.name.trim() };
  for (const field of TEXT_FIELDS) {
    const value = values[field].trim();
    if (field !== 'name' && value !== '') body[field] = value;
  }
  const count = employees(values.employeeCount);
  if (count !== null) body.employeeCount = count;
  return body;
}

/** Only what changed; an emptied optional field is sent as null to clear it. */
export function companyPatch(values: CompanyFormValues, initial: CompanyFormValues): CompanyPatch {
  const body: Record<string, string | number | null> = {};
  for (const field of TEXT_FIELDS) {
    const value = values[field].trim();
    if (value === initial[field].trim()) continue;
    // The API refuses an empty name; send it so the field shows why.
    body[field] = value === '' && field !== 'name' ? null : value;
  }
  const count = employees(values.employeeCount);
  if (count !== employees(initial.employeeCount)) body.employeeCount = count;
  return body;
}

export function CompanyFormModal({ opened, onClose, company }: { opened: boolean; onClose: () => void; company: CompanyDto | null }) {
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={<Text fw={600}>{company ? `Edit ${company.name}` : 'Add company'}</Text>}>
      {opened && <CompanyForm key={company?.id ?? 'new'} company={company} onDone={onClose} />}
    </Modal>
  );
}

function CompanyForm({ company, onDone }: { company: CompanyDto | null; onDone: () => void }) {
  const create = useCreateCompany();
  const update = useUpdateCompany();
  const initial = toValues(company);
  const form = useForm<CompanyFormValues>({ mode: 'controlled', initialValues: initial });
  const [summary, setSummary] = useState<string | null>(null);
  const pending = create.isPending || update.isPending;

  const onError = (error: unknown) => {
    const { fieldErrors, summary: message } = describeSubmitError(error, FORM_FIELDS);
    form.setErrors(fieldErrors);
    setSummary(message ?? (Object.keys(fieldErrors).length ? 'Please fix the highlighted fields.' : null));
  };
  const onSuccess = (saved: CompanyDto) => {
    notifications.show({ color: 'teal', title: company ? 'Company updated' : 'Company added', message: saved.name });
    onDone();
  };

  const submit = form.onSubmit((values) => {
    setSummary(null);
    if (company) {
      const body = companyPatch(values, initial);
      if (Object.keys(body).length === 0) return onDone();
      update.mutate({ id: company.id, body }, { onSuccess, onError });
    } else {
      // The API validates `name`; sending the empty string lets it say so on the field.
      create.mutate(createCompanyBody(values), { onSuccess, onError });
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={company ? 'Edit company' : 'Add company'}>
      <Stack gap="md">
        {summary && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
            {summary}
          </Alert>
        )}
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <TextInput label="Domain" placeholder="acme.com" {...form.getInputProps('domain')} />
          <TextInput label="Website" placeholder="https://acme.com" {...form.getInputProps('website')} />
          <TextInput label="Industry" {...form.getInputProps('industry')} />
          <NumberInput label="Employees" min={0} allowDecimal={false} thousandSeparator="," {...form.getInputProps('employeeCount')} />
          <TextInput label="City" {...form.getInputProps('city')} />
          <TextInput label="Country" {...form.getInputProps('country')} />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onDone} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {company ? 'Save changes' : 'Add company'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
