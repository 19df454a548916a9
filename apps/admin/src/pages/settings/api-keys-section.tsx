import type { ApiKeyDto, CreatedApiKeyDto } from '@conduit/contracts';
import { ActionIcon, Alert, Badge, Button, Code, CopyButton, Group, Modal, Paper, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy, IconKey, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../../api/team';
import { useConfirmDelete } from '../../components/confirm-delete';
import { DataTable, dateColumn, type DataTableColumn } from '../../components/data-table';
import { SectionHeader } from '../../components/section-header';
import { describeSubmitError } from '../../lib/form-errors';

/** Shows a new key once, with a copy button: the API stores only its hash. */
export function NewApiKeyModal({ created, onClose }: { created: CreatedApiKeyDto | null; onClose: () => void }) {
  return (
    <Modal opened={created !== null} onClose={onClose} title={<Text fw={600}>API key created</Text>} closeOnClickOutside={false}>
      {created && (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
            Copy this key now. For your security it will not be shown again.
          </Alert>
          <Text size="sm" fw={600}>
            {created.name}
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="new-api-key">
              {created.key}
            </Code>
            <CopyButton value={created.key} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy key'} withArrow>
                  <ActionIcon color={copied ? 'teal' : 'indigo'} variant="light" size="lg" onClick={copy} aria-label="Copy key">
                    {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied the key</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function CreateApiKeyModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (key: CreatedApiKeyDto) => void }) {
  const create = useCreateApiKey();
  const [summary, setSummary] = useState<string | null>(null);
  const form = useForm({ mode: 'controlled', initialValues: { name: '' } });
  const close = () => {
    form.reset();
    setSummary(null);
    create.reset();
    onClose();
  };
  const submit = form.onSubmit((values) => {
    setSummary(null);
    create.mutate(
      { name: values.name.trim() },
      {
        onSuccess: (key) => {
          close();
          onCreated(key);
        },
        onError: (error) => {
          const { fieldErrors, summary: message } = describeSubmitError(error, ['name']);
          form.setErrors(fieldErrors);
          setSummary(message);
        },
      },
    );
  });
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Create API key</Text>}>
      <form onSubmit={submit} noValidate aria-label="Create API key">
        <Stack gap="md">
          {summary && (
            <Alert color="red" variant="light" role="alert">
              {summary}
            </Alert>
          )}
          <TextInput label="Name" description="Say where it is used, e.g. “Clay enrichment”." required data-autofocus {...form.getInputProps('name')} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function keyColumns(askRevoke: (key: ApiKeyDto) => void): DataTableColumn<ApiKeyDto>[] {
  return [
    {
      key: 'name',
      header: 'Name',
      cell: (key) => (
        <Text size="sm" fw={600}>
          {key.name}
        </Text>
      ),
    },
    { key: 'prefix', header: 'Key', cell: (key) => <Code>{key.prefix}…</Code> },
    dateColumn('created', 'Created', (key) => key.createdAt),
    dateColumn('lastUsed', 'Last used', (key) => key.lastUsedAt, { time: true, empty: 'Never' }),
    {
      key: 'status',
      header: 'Status',
      cell: (key) => (
        <Badge color={key.revokedAt ? 'gray' : 'teal'} variant="light" radius="sm">
          {key.revokedAt ? 'Revoked' : 'Active'}
        </Badge>
      ),
    },
    {
      key: 'actions',
      width: 56,
      cell: (key) =>
        !key.revokedAt && (
          <Tooltip label="Revoke key">
            <ActionIcon variant="subtle" color="red" aria-label={`Revoke ${key.name}`} onClick={() => askRevoke(key)}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        ),
    },
  ];
}

/** Settings → Team → API keys (admins only): create a key (shown once), revoke one. */
export function ApiKeysSection() {
  const keys = useApiKeys(true);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKeyDto | null>(null);
  const revoke = useConfirmDelete({
    mutation: useRevokeApiKey(),
    variables: (key: ApiKeyDto) => key.id,
    title: 'Revoke API key',
    confirmLabel: 'Revoke',
    message: (key) => `Revoke “${key.name}”? Anything using it stops working at once.`,
    notify: (key) => ({ title: 'API key revoked', message: key.name }),
  });

  return (
    <Paper withBorder shadow="xs">
      <SectionHeader
        title="API keys"
        description="Let other tools read and write prospects through the Conduit API."
        action={
          <Button variant="default" leftSection={<IconKey size={16} />} onClick={() => setCreating(true)}>
            Create API key
          </Button>
        }
      />
      <DataTable
        label="API keys"
        columns={keyColumns(revoke.ask)}
        rows={keys.data}
        rowKey={(key) => key.id}
        rowProps={(key) => ({ opacity: key.revokedAt ? 0.6 : 1 })}
        error={keys.error}
        errorTitle="Could not load API keys"
        onRetry={() => void keys.refetch()}
        empty={{ title: 'No API keys yet', description: 'Create one to connect an enrichment tool or a script.', icon: <IconKey size={24} /> }}
        minWidth={640}
        horizontalSpacing="md"
        headerBg="gray.0"
        skeletonRows={2}
      />
      <CreateApiKeyModal opened={creating} onClose={() => setCreating(false)} onCreated={setCreated} />
      <NewApiKeyModal created={created} onClose={() => setCreated(null)} />
      {revoke.modal}
    </Paper>
  );
}
