import type { CrmFieldDto } from '@conduit/contracts';
import { completeValueMap, type MappedObject, vocabularyFor } from '@conduit/mapping';

/**
 * The value map a row of a fixed-vocabulary field imports with: the admin's saved map completed with Conduit's
 * suggestions for the CRM field's options (an option added in the CRM since gets its suggestion). Undefined for free
 * fields. Without discovered fields the saved map alone (or the vocabulary's own spellings: an empty map).
 */
export function effectiveValueMap(object: MappedObject, conduitField: string, crmField: string, saved: Record<string, string> | null, fields: readonly CrmFieldDto[] | null): Record<string, string> | undefined {
  const vocabulary = vocabularyFor(object, conduitField);
  if (vocabulary === null) return undefined;
  const options = fields?.find((f) => f.name === crmField)?.options ?? [];
  return completeValueMap(saved, vocabulary, options);
}
