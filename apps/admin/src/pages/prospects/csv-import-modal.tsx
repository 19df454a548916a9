import type { BulkResult } from '@conduit/contracts';
import { Alert, Anchor, Badge, Button, FileInput, Group, Modal, ScrollArea, SimpleGrid, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconCircleX, IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { useImportPeopleCsv } from '../../api/people';
import { errorMessage } from '../../components/error-state';

const TEMPLATE_HEADER = 'First name,Last name,Email,Job title,Company,Phone,City,Country,LinkedIn,Lead status,Engagement';
const TEMPLATE_ROW = 'Ada,Lovelace,ada@example.com,Head of Analytics,Analytical Engines,,London,United Kingdom,,New,not_contacted';

function templateHref(): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`${TEMPLATE_HEADER}\n${TEMPLATE_ROW}\n`)}`;
}

/** Rows are numbered as people see them in a spreadsheet: the header is line 1. */
export function csvLine(index: number): number {
  return index + 2;
}

export function ImportResult({ result }: { result: BulkResult }) {
  return (
    <Stack gap="md" data-testid="import-result">
      <SimpleGrid cols={2}>
        <Group gap="sm" p="md" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }}>
          <ThemeIcon color="teal" variant="light" size="lg" radius="xl">
            <IconCircleCheck size={20} />
          </ThemeIcon>
          <div>
            <Text fw={700} fz="xl" lh={1} data-testid="import-created">
              {result.created}
            </Text>
            <Text size="sm" c="dimmed">
              created
            </Text>
          </div>
        </Group>
        <Group gap="sm" p="md" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }}>
          <ThemeIcon color={result.failed ? 'red' : 'gray'} variant="light" size="lg" radius="xl">
            <IconCircleX size={20} />
          </ThemeIcon>
          <div>
            <Text fw={700} fz="xl" lh={1} data-testid="import-failed">
              {result.failed}
            </Text>
            <Text size="sm" c="dimmed">
              failed
            </Text>
          </div>
        </Group>
      </SimpleGrid>
      {result.errors.length > 0 && (
        <ScrollArea.Autosize mah={260}>
          <Table striped withTableBorder fz="sm" aria-label="Rows that failed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={80}>Line</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.errors.map((row) => (
                <Table.Tr key={row.index}>
                  <Table.Td>{csvLine(row.index)}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {row.errors.map((fieldError) => (
                        <Text size="sm" key={fieldError.field}>
                          {fieldError.field && (
                            <Badge size="xs" variant="light" color="gray" mr={6} radius="sm">
                              {fieldError.field}
                            </Badge>
                          )}
                          {fieldError.messages.join('. ')}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}

export function CsvImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const importCsv = useImportPeopleCsv();

  const close = () => {
    setFile(null);
    importCsv.reset();
    onClose();
  };

  const upload = async () => {
    if (!file) return;
    importCsv.mutate(await file.text());
  };

  return (
    <Modal opened={opened} onClose={close} size="lg" title={<Text fw={600}>Import prospects from CSV</Text>}>
      <Stack gap="md">
        {importCsv.data ? (
          <ImportResult result={importCsv.data} />
        ) : (
          <>
            <Text size="sm" c="dimmed">
              The first line names the columns: First name, Last name, Email, Company, Job title and so on. Common spellings from
              sales tools are recognised and other columns become custom attributes. Valid rows are created even when others
              fail.{' '}
              <Anchor href={templateHref()} download="conduit-prospects-template.csv" size="sm">
                Download a template
              </Anchor>
            </Text>
            <FileInput
              label="CSV file"
              placeholder="Choose a .csv file"
              accept=".csv,text/csv"
              leftSection={<IconFileTypeCsv size={18} />}
              value={file}
              onChange={(value) => {
                importCsv.reset();
                setFile(value);
              }}
              clearable
            />
            {importCsv.isError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
                {errorMessage(importCsv.error)}
              </Alert>
            )}
          </>
        )}
        <Group justify="flex-end" gap="sm">
          {importCsv.data ? (
            <>
              <Button
                variant="default"
                onClick={() => {
                  setFile(null);
                  importCsv.reset();
                }}
              >
                Import another file
              </Button>
              <Button onClick={close}>Done</Button>
            </>
          ) : (
            <>
              <Button variant="default" onClick={close} disabled={importCsv.isPending}>
                Cancel
              </Button>
              <Button onClick={() => void upload()} disabled={!file} loading={importCsv.isPending}>
                Import
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
