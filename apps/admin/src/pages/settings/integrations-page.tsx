import { Alert, SimpleGrid } from '@mantine/core';
import { IconCloud, IconHexagonLetterH, IconInfoCircle } from '@tabler/icons-react';
import { IntegrationCard, type ConnectionStatus } from '../../components/integration-card';
import { PageHeader } from '../../components/page-header';

const NOT_YET: ConnectionStatus = { state: 'unavailable', reason: 'CRM connections arrive in a later release.' };

export function IntegrationsPage() {
  return (
    <>
      <PageHeader title="Integrations" description="Connect your CRM so prospects, companies and activity stay in sync." />
      <Alert variant="light" color="indigo" icon={<IconInfoCircle size={18} />} mb="lg" title="Connections are on the way">
        HubSpot and Salesforce connections arrive in a later release. You will connect with OAuth, map Conduit fields to your CRM
        properties and push prospects from Lead Research.
      </Alert>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <IntegrationCard
          name="HubSpot"
          logo={<IconHexagonLetterH size={26} color="#ff7a59" />}
          description="Sync contacts and companies with HubSpot and log outbound activity on the contact timeline."
          capabilities={['Contacts and companies, both ways', 'Owner and lead status mapping', 'Push prospects from Lead Research']}
          status={NOT_YET}
        />
        <IntegrationCard
          name="Salesforce"
          logo={<IconCloud size={26} color="#00a1e0" />}
          description="Create and update Salesforce Leads and Accounts from Conduit, matched by email to avoid duplicates."
          capabilities={['Leads, contacts and accounts', 'Field mapping to standard and custom fields', 'Push prospects from Lead Research']}
          status={NOT_YET}
        />
      </SimpleGrid>
    </>
  );
}
