import type { CrmKind } from '@conduit/contracts';
import { useDisconnectCrm } from '../../api/connections';
import { useConfirmDelete } from '../../components/confirm-delete';
import { CRM_NAMES } from './connection-status';

/** "Disconnect HubSpot", asked first: the Integrations card (revoked access) and the connection's Overview offer it. */
export function useDisconnect(onDone?: () => void) {
  return useConfirmDelete({
    mutation: useDisconnectCrm(),
    variables: (crm: CrmKind) => crm,
    title: (crm) => `Disconnect ${CRM_NAMES[crm]}`,
    confirmLabel: 'Disconnect',
    message: (crm) =>
      `Conduit revokes its access in ${CRM_NAMES[crm]}, deletes the stored tokens and clears the field mapping and sync settings. Records already pushed stay in the CRM.`,
    notify: (crm) => ({ title: `${CRM_NAMES[crm]} disconnected`, message: 'Reconnect any time from Settings → Integrations.' }),
    onDone,
  });
}
