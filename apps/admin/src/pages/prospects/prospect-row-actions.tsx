import type { PersonDto } from '@conduit/contracts';
import { ActionIcon, Menu } from '@mantine/core';
import { IconCloudUpload, IconDots, IconExternalLink, IconPencil, IconTrash } from '@tabler/icons-react';

interface ProspectRowActionsProps {
  person: PersonDto;
  onOpen: (person: PersonDto) => void;
  onEdit: (person: PersonDto) => void;
  onDelete: (person: PersonDto) => void;
}

/**
 * The row menu. The CRM section is where "Push to HubSpot / Salesforce" go live once
 * connections exist; until then it says so rather than hiding the idea.
 */
export function ProspectRowActions({ person, onOpen, onEdit, onDelete }: ProspectRowActionsProps) {
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
        <Menu.Item leftSection={<IconCloudUpload size={16} />} disabled>
          Push to HubSpot
        </Menu.Item>
        <Menu.Item leftSection={<IconCloudUpload size={16} />} disabled>
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
