import type { PersonDto } from '@conduit/contracts';
import {
  Anchor,
  Avatar,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconBrandLinkedin, IconBuildingSkyscraper, IconCloudOff, IconCloudUpload, IconMail, IconPencil, IconPhone, IconShieldX, IconTrash } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useSession } from '../../api/auth';
import { isApiError } from '../../api/client';
import { useCompany } from '../../api/companies';
import { useCrmLinks } from '../../api/export';
import { usePerson } from '../../api/people';
import { useTeam } from '../../api/team';
import { EngagementBadge } from '../../components/engagement-badge';
import { ErrorState } from '../../components/error-state';
import { formatDateTime, initials, leadStatusLabel, personName } from '../../lib/format';
import { PersonDncPanel } from '../dnc/person-dnc-panel';
import { ErasePersonModal } from './erase-person-modal';
import { PersonActivityTimeline } from './person-activity-timeline';
import { PersonFormModal } from './person-form-modal';
import { PersonSyncNow } from './person-sync-now';
import { ProvenancePanel } from './provenance-panel';
import { useDeletePersonFlow } from './use-delete-person-flow';
import { CRM_LABEL, usePushFlow } from './use-push-person';

function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text size="sm" c={empty ? 'dimmed' : undefined} component="div">
        {empty ? '—' : children}
      </Text>
    </div>
  );
}

function CompanyCard({ person }: { person: PersonDto }) {
  const company = useCompany(person.companyId);
  return (
    <Card padding="lg">
      <Group gap="xs" mb="md">
        <IconBuildingSkyscraper size={18} />
        <Text fw={600}>Company</Text>
      </Group>
      {person.companyId && company.isPending ? (
        <Stack gap="xs">
          <Skeleton h={12} w="60%" />
          <Skeleton h={12} w="40%" />
        </Stack>
      ) : company.data ? (
        <Stack gap="sm">
          <Field label="Name">{company.data.name}</Field>
          <Field label="Domain">{company.data.domain}</Field>
          <Field label="Industry">{company.data.industry}</Field>
          <Field label="Employees">{company.data.employeeCount?.toLocaleString('en')}</Field>
          <Field label="Location">{[company.data.city, company.data.country].filter(Boolean).join(', ')}</Field>
        </Stack>
      ) : (
        <Stack gap="sm">
          <Field label="Name">{person.companyName}</Field>
          {!person.companyName && (
            <Text size="sm" c="dimmed">
              Not linked to a company.
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}

function PersonDetails({ person }: { person: PersonDto }) {
  const navigate = useNavigate();
  const team = useTeam();
  const [editOpen, setEditOpen] = useState(false);
  const { askDelete, modal: deleteModal } = useDeletePersonFlow(() => void navigate('/prospects', { replace: true }));
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const { connected } = usePushFlow();
  const [eraseOpen, setEraseOpen] = useState(false);
  const name = personName(person);
  const owner = team.data?.find((user) => user.id === person.assignedUserId);
  const customAttributes = Object.entries(person.customAttributes ?? {});

  return (
    <>
      <Card padding="xl" mb="lg">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
          <Group gap="lg" wrap="nowrap">
            <Avatar size={64} radius="xl" color="indigo" variant="light">
              {initials(name)}
            </Avatar>
            <Stack gap={6}>
              <Title order={2} data-testid="person-name">
                {name}
              </Title>
              <Text c="dimmed" size="sm">
                {[person.jobTitle, person.companyName].filter(Boolean).join(' at ') || 'No title or company yet'}
              </Text>
              <Group gap="xs">
                <EngagementBadge state={person.engagementState} size="md" />
                {person.leadStatus && (
                  <Badge variant="outline" color="gray" radius="sm" size="md" tt="none">
                    Lead status: {leadStatusLabel(person.leadStatus)}
                  </Badge>
                )}
              </Group>
            </Stack>
          </Group>
          <Group gap="sm">
            {isAdmin && (
              <Button variant="default" leftSection={<IconShieldX size={16} />} color="red" onClick={() => setEraseOpen(true)}>
                Erase (GDPR)
              </Button>
            )}
            <Button variant="default" leftSection={<IconTrash size={16} />} color="red" onClick={() => askDelete(person)}>
              Delete
            </Button>
            <Button leftSection={<IconPencil size={16} />} onClick={() => setEditOpen(true)}>
              Edit
            </Button>
          </Group>
        </Group>
      </Card>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <Card padding="lg">
              <Text fw={600} mb="md">
                Contact
              </Text>
              <Grid gap="md">
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Field label="Email">
                    {person.email && (
                      <Anchor href={`mailto:${person.email}`} size="sm">
                        <Group gap={6} component="span" wrap="nowrap">
                          <IconMail size={14} />
                          {person.email}
                        </Group>
                      </Anchor>
                    )}
                  </Field>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Field label="Phone">
                    {person.phone && (
                      <Group gap={6} wrap="nowrap">
                        <IconPhone size={14} />
                        {person.phone}
                      </Group>
                    )}
                  </Field>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Field label="First name">{person.firstName}</Field>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Field label="Last name">{person.lastName}</Field>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Field label="Job title">{person.jobTitle}</Field>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Field label="Location">{[person.city, person.country].filter(Boolean).join(', ')}</Field>
                </Grid.Col>
                <Grid.Col span={12}>
                  <Field label="LinkedIn">
                    {person.linkedinUrl && (
                      <Anchor href={person.linkedinUrl} target="_blank" rel="noreferrer" size="sm">
                        <Group gap={6} component="span" wrap="nowrap">
                          <IconBrandLinkedin size={14} />
                          {person.linkedinUrl}
                        </Group>
                      </Anchor>
                    )}
                  </Field>
                </Grid.Col>
              </Grid>
            </Card>

            <Card padding="lg">
              <Text fw={600} mb="xs">
                Qualification reasoning
              </Text>
              <Text size="sm" c={person.qualificationReasoning ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
                {person.qualificationReasoning ?? 'No reasoning recorded yet.'}
              </Text>
            </Card>

            {customAttributes.length > 0 && (
              <Card padding="lg">
                <Text fw={600} mb="xs">
                  Custom attributes
                </Text>
                <Table fz="sm" verticalSpacing={6}>
                  <Table.Tbody>
                    {customAttributes.map(([key, value]) => (
                      <Table.Tr key={key}>
                        <Table.Td w="40%" c="dimmed">
                          {key}
                        </Table.Td>
                        <Table.Td>{typeof value === 'string' ? value : JSON.stringify(value)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            )}
            <ProvenancePanel personId={person.id} name={name} />
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <CompanyCard person={person} />
            <Card padding="lg">
              <Text fw={600} mb="md">
                Record
              </Text>
              <Stack gap="sm">
                <Field label="Owner">{person.assignedUserId ? (owner?.name ?? 'Unknown member') : 'Unassigned'}</Field>
                <Field label="Added">{formatDateTime(person.createdAt)}</Field>
                <Field label="Last updated">{formatDateTime(person.updatedAt)}</Field>
              </Stack>
            </Card>
            <CrmCard person={person} />
            <PersonDncPanel personId={person.id} />
            <PersonActivityTimeline personId={person.id} />
          </Stack>
        </Grid.Col>
      </Grid>

      <PersonFormModal opened={editOpen} onClose={() => setEditOpen(false)} person={person} />
      {deleteModal}
      <ErasePersonModal
        person={eraseOpen ? person : null}
        hubspotConnected={connected('hubspot')}
        salesforceConnected={connected('salesforce')}
        onClose={() => setEraseOpen(false)}
        onErased={() => void navigate('/prospects', { replace: true })}
      />
    </>
  );
}

/** CRM badges linking to the person's records, and the push buttons. */
function CrmCard({ person }: { person: PersonDto }) {
  const links = useCrmLinks(person.id);
  const { connected, push, pending } = usePushFlow();
  const crms = (['hubspot', 'salesforce'] as const).filter((crm) => connected(crm));
  return (
    <Card padding="lg">
      <Text fw={600} mb="md">
        CRM
      </Text>
      {links.data && links.data.length > 0 ? (
        <Group gap="xs" mb="md">
          {links.data.map((l) => (
            <Badge key={`${l.crm}:${l.crmId}`} component="a" href={l.recordUrl} target="_blank" rel="noreferrer" variant="light" color={l.crm === 'hubspot' ? 'orange' : 'blue'} style={{ cursor: 'pointer' }}>
              {CRM_LABEL[l.crm]} {l.object}
            </Badge>
          ))}
        </Group>
      ) : (
        <Group gap="sm" wrap="nowrap" align="flex-start" mb="md">
          <ThemeIcon variant="light" color="gray" radius="xl">
            <IconCloudOff size={16} />
          </ThemeIcon>
          <Text size="xs" c="dimmed">
            Not in a CRM yet
          </Text>
        </Group>
      )}
      {crms.length === 0 ? (
        <Text size="xs" c="dimmed">
          Connect HubSpot or Salesforce in Settings → Integrations to push prospects.
        </Text>
      ) : (
        <Group gap="xs">
          {crms.map((crm) => (
            <Button key={crm} size="xs" variant="default" leftSection={<IconCloudUpload size={14} />} loading={pending} onClick={() => push(person, crm)}>
              Push to {CRM_LABEL[crm]}
            </Button>
          ))}
        </Group>
      )}
      {links.data && links.data.length > 0 && (
        <Stack mt="md" gap="xs">
          <PersonSyncNow personId={person.id} />
        </Stack>
      )}
    </Card>
  );
}

export function PersonPage() {
  const { id = '' } = useParams();
  const person = usePerson(id);
  const notFound = isApiError(person.error) && (person.error.status === 404 || person.error.status === 400);

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/prospects" size="sm">
          Prospects
        </Anchor>
        <Text size="sm" c="dimmed">
          {person.data ? personName(person.data) : 'Prospect'}
        </Text>
      </Breadcrumbs>

      {person.isPending ? (
        <Card padding="xl">
          <Group gap="lg">
            <Skeleton circle h={64} />
            <Stack gap="xs" style={{ flex: 1 }}>
              <Skeleton h={20} w="40%" />
              <Skeleton h={12} w="25%" />
            </Stack>
          </Group>
        </Card>
      ) : notFound ? (
        <Card padding="xl">
          <Stack align="flex-start" gap="sm">
            <Title order={3}>Prospect not found</Title>
            <Text c="dimmed" size="sm">
              It may have been deleted, or the link is wrong.
            </Text>
            <Button component={Link} to="/prospects" variant="default" leftSection={<IconArrowLeft size={16} />}>
              Back to prospects
            </Button>
          </Stack>
        </Card>
      ) : person.isError ? (
        <ErrorState error={person.error} title="Could not load this prospect" onRetry={() => void person.refetch()} />
      ) : (
        <PersonDetails person={person.data} />
      )}
    </Stack>
  );
}
