import type { PersonDto } from '@conduit/contracts';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useDeletePerson } from '../../api/people';
import { ConfirmModal } from '../../components/confirm-modal';
import { personName } from '../../lib/format';

/** Ask-then-delete for a prospect; returns the trigger and the modal to render. */
export function useDeletePersonFlow(onDeleted?: () => void) {
  const [target, setTarget] = useState<PersonDto | null>(null);
  const remove = useDeletePerson();

  const close = () => {
    setTarget(null);
    remove.reset();
  };

  const modal = (
    <ConfirmModal
      opened={target !== null}
      title="Delete prospect"
      confirmLabel="Delete"
      onClose={close}
      loading={remove.isPending}
      error={remove.error}
      onConfirm={() => {
        if (!target) return;
        remove.mutate(target.id, {
          onSuccess: () => {
            notifications.show({ color: 'teal', title: 'Prospect deleted', message: personName(target) });
            close();
            onDeleted?.();
          },
        });
      }}
    >
      {target ? `Delete ${personName(target)}? This removes the prospect from Conduit; records already in your CRM stay there.` : ''}
    </ConfirmModal>
  );

  return { askDelete: setTarget, modal };
}
