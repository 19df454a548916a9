import type { PersonDto } from '@conduit/contracts';
import { ActionIcon, Menu } from '@mantine/core';
import { IconCloudUpload, IconDots, IconExternalLink, IconPencil, IconTrash } from '@tabler/icons-react';
import { usePushFlow } from './use-push-person';

interface ProspectRowActionsProps {
  person: PersonDto;
  onOpen: (person: PersonDto) => void;
  onEdit: (person: PersonDto) => void;
  onDelete: (person: PersonDto) => void;
}

/**
 * The row menu. "Push to HubSpot / Salesforce" export the person now (whatever the export policy); each is
 * disabled while its CRM is not connected.
 */
export function ProspectRowActions({ person, onOpen, onEdit, onDelete }: ProspectRowActionsProps) {
  const { connected, push } = usePushFlow();
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={220}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label="Row actions" onClick={(event) => event.stopPropagation()}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown onClick={(event) => event.stopPropagation()}>
        <Menu.Item leftSection={<IconExternalLink size={16} />} onClick={() => onOpen(person)}>
          Open
        </Menu.Item>
        <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onEdit(person)}>
          Edit
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>CRM</Menu.Label>
        <Menu.Item leftSection={<IconCloudUpload size={16} />} disabled={!connected('hubspot')} onClick={() => push(person, 'hubspot')}>
          Push to HubSpot
        </Menu.Item>
        <Menu.Item leftSection={<IconCloudUpload size={16} />} disabled={!connected('salesforce')} onClick={() => push(person, 'salesforce')}>
          Push to Salesforce
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => onDelete(person)}>
          Delete
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
