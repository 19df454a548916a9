import { Anchor, Breadcrumbs, Card, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useCompany } from '../../api/companies';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/format';
import { CompanyCustomAttributes } from '../companies/company-custom-attributes';
import { EntityProvenancePanel } from './provenance-table';

function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" c={empty ? 'dimmed' : undefined}>
        {empty ? '—' : children}
      </Text>
    </div>
  );
}

/** A company with "why is this value here?" for each field (GET /companies/:id/provenance). */
export function CompanyPage() {
  const { id = '' } = useParams();
  const company = useCompany(id);
  const c = company.data;
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/companies">
          Companies
        </Anchor>
        <Text size="sm">{c?.name ?? '…'}</Text>
      </Breadcrumbs>
      {company.isError ? (
        <ErrorState error={company.error} title="Could not load the company" onRetry={() => void company.refetch()} />
      ) : !c ? (
        <Skeleton h={120} />
      ) : (
        <Stack gap="lg">
          <PageHeader title={c.name} description={c.domain ?? undefined} />
          <Card withBorder padding="lg">
            <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
              <Field label="Domain">{c.domain}</Field>
              <Field label="Website">{c.website}</Field>
              <Field label="Industry">{c.industry}</Field>
              <Field label="Employees">{c.employeeCount?.toLocaleString('en')}</Field>
              <Field label="City">{c.city}</Field>
              <Field label="Country">{c.country}</Field>
              <Field label="Updated">{formatDateTime(c.updatedAt)}</Field>
            </SimpleGrid>
          </Card>
          <CompanyCustomAttributes attributes={c.customAttributes} />
          <EntityProvenancePanel entity="company" id={c.id} recordName={c.name} />
        </Stack>
      )}
    </>
  );
}
