import { ROLES, type ApiKeyDto, type CreatedApiKeyDto, type Role, type UserDto } from '@conduit/contracts';
import {
  ActionIcon,
  Alert,
  Avatar,
  Badge,
  Button,
  Code,
  CopyButton,
  EmptyState,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconAlertTriangle, IconCheck, IconCopy, IconKey, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useSession } from '../../api/auth';
import { useApiKeys, useCreateApiKey, useCreateMember, useRemoveMember, useRevokeApiKey, useTeam } from '../../api/team';
import { ConfirmModal } from '../../components/confirm-modal';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { TableSkeletonRows } from '../../components/table-skeleton';
import { describeSubmitError } from '../../lib/form-errors';
import { formatDate, formatDateTime, humanize, initials } from '../../lib/format';

function SectionHeader({ title, description, action }: { title: string; description: string; action?: ReactNode }) {
  return (
    <Group justify="space-between" p="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }} wrap="wrap">
      <div>
        <Title order={4}>{title}</Title>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      </div>
      {action}
    </Group>
  );
}

function AddMemberModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateMember();
  const [summary, setSummary] = useState<string | null>(null);
  const form = useForm<{ name: string; email: string; role: Role; password: string }>({
    mode: 'controlled',
    initialValues: { name: '', email: '', role: 'member', password: '' },
  });
  const close = () => {
    form.reset();
    setSummary(null);
    create.reset();
    onClose();
  };
  const submit = form.onSubmit((values) => {
    setSummary(null);
    create.mutate(
      { ...values, name: values.name.trim(), email: values.email.trim() },
      {
        onSuccess: (user) => {
          notifications.show({ color: 'teal', title: 'Member added', message: `${user.name} can now sign in.` });
          close();
        },
        onError: (error) => {
          const { fieldErrors, summary: message } = describeSubmitError(error, ['name', 'email', 'role', 'password']);
          form.setErrors(fieldErrors);
          setSummary(message);
        },
      },
    );
  });
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Add team member</Text>}>
      <form onSubmit={submit} noValidate aria-label="Add team member">
        <Stack gap="md">
          {summary && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
              {summary}
            </Alert>
          )}
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" required {...form.getInputProps('email')} />
          <Select
            label="Role"
            data={ROLES.map((role) => ({ value: role, label: humanize(role) }))}
            allowDeselect={false}
            {...form.getInputProps('role')}
          />
          <PasswordInput label="Initial password" description="Share it with them privately; they can change it later." required {...form.getInputProps('password')} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add member
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function MembersSection({ me, isAdmin }: { me: UserDto | undefined; isAdmin: boolean }) {
  const team = useTeam();
  const remove = useRemoveMember();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<UserDto | null>(null);
  const closeRemove = () => {
    setRemoving(null);
    remove.reset();
  };

  return (
    <Paper withBorder shadow="xs">
      <SectionHeader
        title="Members"
        description="People who can sign in to this workspace."
        action={
          isAdmin && (
            <Button leftSection={<IconUserPlus size={16} />} onClick={() => setAdding(true)}>
              Add member
            </Button>
          )
        }
      />
      {team.isError ? (
        <Stack p="md">
          <ErrorState error={team.error} title="Could not load the team" onRetry={() => void team.refetch()} />
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Team members">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>Member</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Joined</Table.Th>
                <Table.Th w={56}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {team.isPending ? (
                <TableSkeletonRows columns={4} rows={3} />
              ) : (
                team.data.map((user) => (
                  <Table.Tr key={user.id}>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <Avatar radius="xl" size={34} color="indigo" variant="light">
                          {initials(user.name)}
                        </Avatar>
                        <div>
                          <Text size="sm" fw={600}>
                            {user.name}
                            {user.id === me?.id && (
                              <Text span c="dimmed" fw={400}>
                                {' '}
                                (you)
                              </Text>
                            )}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {user.email}
                          </Text>
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant={user.role === 'admin' ? 'light' : 'outline'} color={user.role === 'admin' ? 'indigo' : 'gray'} radius="sm">
                        {humanize(user.role)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(user.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {isAdmin && user.id !== me?.id && (
                        <Tooltip label="Remove member">
                          <ActionIcon variant="subtle" color="red" aria-label={`Remove ${user.name}`} onClick={() => setRemoving(user)}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AddMemberModal opened={adding} onClose={() => setAdding(false)} />
      <ConfirmModal
        opened={removing !== null}
        title="Remove member"
        confirmLabel="Remove"
        onClose={closeRemove}
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (!removing) return;
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifications.show({ color: 'teal', title: 'Member removed', message: removing.name });
              closeRemove();
            },
          });
        }}
      >
        {removing ? `Remove ${removing.name} (${removing.email})? They will no longer be able to sign in.` : ''}
      </ConfirmModal>
    </Paper>
  );
}

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

function ApiKeysSection() {
  const keys = useApiKeys(true);
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKeyDto | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyDto | null>(null);
  const closeRevoke = () => {
    setRevoking(null);
    revoke.reset();
  };

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
      {keys.isError ? (
        <Stack p="md">
          <ErrorState error={keys.error} title="Could not load API keys" onRetry={() => void keys.refetch()} />
        </Stack>
      ) : keys.data?.length === 0 ? (
        <EmptyState py="xl" icon={<IconKey size={24} />} withIndicatorBackground size="sm" title="No API keys yet" description="Create one to connect an enrichment tool or a script." />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="API keys">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w={56}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.isPending ? (
                <TableSkeletonRows columns={6} rows={2} />
              ) : (
                keys.data.map((key) => (
                  <Table.Tr key={key.id} opacity={key.revokedAt ? 0.6 : 1}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {key.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Code>{key.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(key.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {key.revokedAt ? (
                        <Badge color="gray" variant="light" radius="sm">
                          Revoked
                        </Badge>
                      ) : (
                        <Badge color="teal" variant="light" radius="sm">
                          Active
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {!key.revokedAt && (
                        <Tooltip label="Revoke key">
                          <ActionIcon variant="subtle" color="red" aria-label={`Revoke ${key.name}`} onClick={() => setRevoking(key)}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateApiKeyModal opened={creating} onClose={() => setCreating(false)} onCreated={setCreated} />
      <NewApiKeyModal created={created} onClose={() => setCreated(null)} />
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke API key"
        confirmLabel="Revoke"
        onClose={closeRevoke}
        loading={revoke.isPending}
        error={revoke.error}
        onConfirm={() => {
          if (!revoking) return;
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifications.show({ color: 'teal', title: 'API key revoked', message: revoking.name });
              closeRevoke();
            },
          });
        }}
      >
        {revoking ? `Revoke “${revoking.name}”? Anything using it stops working at once.` : ''}
      </ConfirmModal>
    </Paper>
  );
}

export function TeamPage() {
  const session = useSession();
  const me = session.data?.user;
  const isAdmin = me?.role === 'admin';
  return (
    <>
      <PageHeader title="Team" description="Manage who can access this workspace and the keys other tools use." />
      <Stack gap="lg">
        <MembersSection me={me} isAdmin={isAdmin} />
        {isAdmin ? (
          <ApiKeysSection />
        ) : (
          <Alert variant="light" color="gray" icon={<IconKey size={18} />}>
            Only workspace admins can manage API keys.
          </Alert>
        )}
      </Stack>
    </>
  );
}
