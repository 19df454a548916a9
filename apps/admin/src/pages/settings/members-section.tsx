import { ROLES, type Role, type UserDto } from '@conduit/contracts';
import { ActionIcon, Alert, Avatar, Badge, Button, Group, Modal, Paper, PasswordInput, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useCreateMember, useRemoveMember, useTeam } from '../../api/team';
import { useConfirmDelete } from '../../components/confirm-delete';
import { DataTable, dateColumn, type DataTableColumn } from '../../components/data-table';
import { SectionHeader } from '../../components/section-header';
import { describeSubmitError } from '../../lib/form-errors';
import { humanize, initials } from '../../lib/format';

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

function memberColumns(me: UserDto | undefined, isAdmin: boolean, askRemove: (user: UserDto) => void): DataTableColumn<UserDto>[] {
  return [
    {
      key: 'member',
      header: 'Member',
      cell: (user) => (
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
      ),
    },
    {
      key: 'role',
      header: 'Role',
      cell: (user) => (
        <Badge variant={user.role === 'admin' ? 'light' : 'outline'} color={user.role === 'admin' ? 'indigo' : 'gray'} radius="sm">
          {humanize(user.role)}
        </Badge>
      ),
    },
    dateColumn('joined', 'Joined', (user) => user.createdAt),
    {
      key: 'actions',
      width: 56,
      cell: (user) =>
        isAdmin &&
        user.id !== me?.id && (
          <Tooltip label="Remove member">
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${user.name}`} onClick={() => askRemove(user)}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        ),
    },
  ];
}

/** Settings → Team → Members: who can sign in; admins add and remove members. */
export function MembersSection({ me, isAdmin }: { me: UserDto | undefined; isAdmin: boolean }) {
  const team = useTeam();
  const [adding, setAdding] = useState(false);
  const remove = useConfirmDelete({
    mutation: useRemoveMember(),
    variables: (user: UserDto) => user.id,
    title: 'Remove member',
    confirmLabel: 'Remove',
    message: (user) => `Remove ${user.name} (${user.email})? They will no longer be able to sign in.`,
    notify: (user) => ({ title: 'Member removed', message: user.name }),
  });

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
      <DataTable
        label="Team members"
        columns={memberColumns(me, isAdmin, remove.ask)}
        rows={team.data}
        rowKey={(user) => user.id}
        error={team.error}
        errorTitle="Could not load the team"
        onRetry={() => void team.refetch()}
        empty={{ title: 'No members yet' }}
        minWidth={600}
        horizontalSpacing="md"
        headerBg="gray.0"
        skeletonRows={3}
      />
      <AddMemberModal opened={adding} onClose={() => setAdding(false)} />
      {remove.modal}
    </Paper>
  );
}
