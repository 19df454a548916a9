import type { PersonDto } from '@conduit/contracts';
import { Alert, Button, Checkbox, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useErasePerson } from '../../api/erasure';
import { errorMessage } from '../../components/error-state';
import { personName } from '../../lib/format';

interface ErasePersonModalProps {
  person: PersonDto | null;
  /** HubSpot is connected (the option to delete the contact there too). */
  hubspotConnected: boolean;
  /** Salesforce is connected (then the admin is told its records stay). */
  salesforceConnected: boolean;
  onClose: () => void;
  onErased: () => void;
}

/**
 * "Erase permanently" (a data-subject request): says what goes and what stays, offers HubSpot's GDPR delete, and
 * says that Salesforce records are left for the admin to delete there.
 */
export function ErasePersonModal({ person, hubspotConnected, salesforceConnected, onClose, onErased }: ErasePersonModalProps) {
  const erase = useErasePerson();
  const [deleteInHubspot, setDeleteInHubspot] = useState(false);
  const close = () => {
    setDeleteInHubspot(false);
    erase.reset();
    onClose();
  };
  const name = person ? personName(person) : '';
  const confirm = () => {
    if (!person) return;
    erase.mutate(
      { id: person.id, deleteInHubspot: hubspotConnected && deleteInHubspot },
      {
        onSuccess: (result) => {
          notifications.show({
            color: 'teal',
            title: `${name} was erased`,
            message:
              'Their data is deleted from Conduit and they will not be imported or contacted again.' +
              (result.hubspotDeletes > 0 ? ' HubSpot is deleting the contact; Settings → Privacy shows when it is done.' : ''),
            autoClose: 10_000,
          });
          setDeleteInHubspot(false);
          erase.reset();
          onErased();
        },
      },
    );
  };
  return (
    <Modal opened={person !== null} onClose={close} title={<Text fw={600}>Erase {name} permanently?</Text>} size="md">
      <Stack gap="sm">
        <Text size="sm">Use this when a person asks to be forgotten. It cannot be undone.</Text>
        <List size="sm" spacing={4}>
          <List.Item>Conduit deletes their profile, custom attributes, field history, activities and consent records.</List.Item>
          <List.Item>Conduit keeps only a salted fingerprint of their email, so they are never imported or contacted again.</List.Item>
        </List>
        {hubspotConnected ? (
          <Checkbox
            checked={deleteInHubspot}
            onChange={(e) => setDeleteInHubspot(e.currentTarget.checked)}
            label="Also delete the contact in HubSpot"
            description="HubSpot deletes the contact permanently (its GDPR delete); it cannot be restored there either."
          />
        ) : null}
        {salesforceConnected ? (
          <Alert color="blue" variant="light" title="Salesforce records stay">
            Conduit does not delete Leads or Contacts in Salesforce. Delete this person there yourself if your policy requires it.
          </Alert>
        ) : null}
        {erase.error ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(erase.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={close} disabled={erase.isPending}>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={erase.isPending}>
            Erase permanently
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
