import type { CrmKind, PersonDto, PushResultDto } from '@conduit/contracts';
import { Anchor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { useConnections } from '../../api/connections';
import { usePushPerson } from '../../api/export';
import { isApiError } from '../../api/client';
import { personName } from '../../lib/format';

export const CRM_LABEL: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/**
 * "Push to HubSpot / Salesforce": which CRMs are connected, and a push that reports its outcome — a link to the
 * record when it was written, the reason when it landed in Needs attention.
 */
/** How the Contact's Account was found (Salesforce Contact + Account export). */
const ACCOUNT_MATCH: Record<NonNullable<PushResultDto['account']>['matchedBy'], string> = {
  link: 'Under the Account linked to the company',
  domain: "Under the Account with the company's website",
  name: "Under the Account with the company's name",
  created: 'Under a new Account for the company',
};

export function usePushFlow() {
  const connections = useConnections();
  const pushMutation = usePushPerson();
  const navigate = useNavigate();
  const connected = (crm: CrmKind) => connections.data?.some((c) => c.crm === crm && c.state === 'connected') ?? false;
  const push = (person: PersonDto, crm: CrmKind) =>
    pushMutation.mutate(
      { personId: person.id, crm },
      {
        onSuccess: (result) => {
          if (result.outcome === 'needs_attention') {
            notifications.show({
              color: 'orange',
              title: `Not exported to ${CRM_LABEL[crm]}`,
              message: (
                <>
                  {result.reason ?? 'The CRM refused the record'}
                  <br />
                  {/* Notifications render outside the router: navigate through the hook's navigate(), not a <Link>. */}
                  <Anchor component="button" type="button" size="sm" onClick={() => void navigate('/needs-attention')}>
                    In Needs attention, with Retry
                  </Anchor>
                </>
              ),
            });
            return;
          }
          if (result.outcome === 'queued') {
            notifications.show({
              color: 'blue',
              title: `Queued for ${CRM_LABEL[crm]}`,
              message: `${result.reason ?? `${CRM_LABEL[crm]} is busy`}. ${personName(person)} will show the ${CRM_LABEL[crm]} badge once written, or appear in Needs attention if it fails.`,
            });
            return;
          }
          const verb = result.outcome === 'created' ? 'Created in' : result.outcome === 'updated' ? 'Updated in' : 'Already up to date in';
          const link = result.recordUrl ? (
            <Anchor href={result.recordUrl} target="_blank" rel="noreferrer">
              Open {personName(person)} in {CRM_LABEL[crm]}
            </Anchor>
          ) : (
            personName(person)
          );
          notifications.show({
            color: 'teal',
            title: `${verb} ${CRM_LABEL[crm]}`,
            message: result.account ? (
              <>
                {link}
                <br />
                <Anchor href={result.account.recordUrl} target="_blank" rel="noreferrer">
                  {ACCOUNT_MATCH[result.account.matchedBy]}
                </Anchor>
              </>
            ) : (
              link
            ),
          });
        },
        onError: (error) => notifications.show({ color: 'red', title: `Push to ${CRM_LABEL[crm]} failed`, message: isApiError(error) ? error.message : String(error) }),
      },
    );
  return { connected, push, pending: pushMutation.isPending };
}
