import type { PersonDto } from '@conduit/contracts';
import { useDeletePerson } from '../../api/people';
import { useConfirmDelete } from '../../components/confirm-delete';
import { personName } from '../../lib/format';

/** Ask-then-delete for a prospect; returns the trigger and the modal to render. */
export function useDeletePersonFlow(onDeleted?: () => void) {
  const { ask, modal } = useConfirmDelete({
    mutation: useDeletePerson(),
    variables: (person: PersonDto) => person.id,
    title: 'Delete prospect',
    message: (person) => `Delete ${personName(person)}? This removes the prospect from Conduit; records already in your CRM stay there.`,
    notify: (person) => ({ title: 'Prospect deleted', message: personName(person) }),
    onDone: () => onDeleted?.(),
  });
  return { askDelete: ask, modal };
}
