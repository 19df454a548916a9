import { ACTIVITY_TYPES, type ActivityType, type CrmKind } from '@conduit/contracts';
import { Alert, Button, Checkbox, Group, SimpleGrid, Skeleton, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useActivitySettings, useSaveActivitySettings } from '../../api/activities';
import { isApiError } from '../../api/client';
import { ACTIVITY_TYPE_LABELS } from '../activity/activity-labels';

const CRM_NAMES: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

interface Draft {
  types: Record<ActivityType, boolean>;
  label: string;
  associateCompany: boolean;
  associateDeal: boolean;
}

/** The Activity tab: which activity types are logged to the CRM, the label prefixed to them, and extra associations. */
export function ActivitySettingsForm({ crm, onSaved }: { crm: CrmKind; onSaved?: () => void }) {
  const settings = useActivitySettings(crm);
  const save = useSaveActivitySettings(crm);
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (settings.data) {
      const { types, label, associateCompany, associateDeal } = settings.data;
      setDraft({ types: { ...types }, label, associateCompany, associateDeal });
    }
  }, [settings.data]);

  if (settings.error) return <Alert color="red">{isApiError(settings.error) ? settings.error.message : 'Could not load the activity settings.'}</Alert>;
  if (!draft) return <Skeleton h={240} />;

  return (
    <Stack gap="md">
      <div>
        <Text fw={600} size="sm" mb={4}>
          Activity types logged to {CRM_NAMES[crm]}
        </Text>
        <Text size="xs" c="dimmed" mb="sm">
          Activities of a type that is off stay in Conduit and show as “not synced (type off)”.
        </Text>
        <SimpleGrid cols={2} spacing="xs">
          {ACTIVITY_TYPES.map((type) => (
            <Switch
              key={type}
              label={ACTIVITY_TYPE_LABELS[type]}
              checked={draft.types[type]}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setDraft((d) => (d ? { ...d, types: { ...d.types, [type]: on } } : d));
              }}
            />
          ))}
        </SimpleGrid>
      </div>
      <TextInput
        label="Activity label"
        description="Prefixed to subjects and bodies in the CRM, e.g. [Conduit]. Leave empty for no label."
        value={draft.label}
        maxLength={100}
        onChange={(e) => {
          const label = e.currentTarget.value;
          setDraft((d) => (d ? { ...d, label } : d));
        }}
      />
      <Stack gap="xs">
        <Checkbox
          label="Also associate activities to the person's company"
          checked={draft.associateCompany}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setDraft((d) => (d ? { ...d, associateCompany: on } : d));
          }}
        />
        <Checkbox
          label="Also associate activities to the person's open deal"
          checked={draft.associateDeal}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setDraft((d) => (d ? { ...d, associateDeal: on } : d));
          }}
        />
      </Stack>
      {save.error ? <Alert color="red">{isApiError(save.error) ? save.error.message : String(save.error)}</Alert> : null}
      <Group justify="flex-end">
        <Button
          loading={save.isPending}
          onClick={() =>
            save.mutate(draft, {
              onSuccess: () => {
                notifications.show({ color: 'teal', message: 'Activity settings saved' });
                onSaved?.();
              },
            })
          }
        >
          Save activity settings
        </Button>
      </Group>
    </Stack>
  );
}
