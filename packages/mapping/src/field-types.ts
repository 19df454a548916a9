import type { CrmFieldDescriptor, CrmFieldType, FieldType } from './types.js';

/** The Conduit value type a CRM field holds, whichever CRM it comes from. */
export function crmValueType(field: Pick<CrmFieldDescriptor, 'type' | 'multiValued'>): FieldType {
  const type: CrmFieldType = field.type;
  switch (type) {
    case 'string':
    case 'id':
    case 'reference':
      return 'string';
    case 'textarea':
      return 'text';
    case 'email':
      return 'email';
    case 'phone':
    case 'phone_number':
      return 'phone';
    case 'url':
      return 'url';
    case 'number':
    case 'double':
    case 'int':
    case 'currency':
    case 'percent':
      return 'number';
    case 'bool':
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'enumeration':
    case 'picklist':
      return field.multiValued ? 'multi_enumeration' : 'enumeration';
    case 'multipicklist':
      return 'multi_enumeration';
  }
}

export type TypeCompatibility = 'ok' | 'lossy' | 'incompatible';

const TEXTUAL: readonly FieldType[] = ['string', 'text', 'email', 'phone', 'url', 'enumeration'];

/**
 * Whether values of Conduit type `from` can be written to a CRM field of type `to` (the
 * same table serves the import direction with the arguments swapped). 'lossy' means some
 * values will fail to convert (text into a number field, free text into an enumeration,
 * a datetime into a date); 'incompatible' means no value ever will.
 */
export function typeCompatibility(from: FieldType, to: FieldType): TypeCompatibility {
  if (from === to) return 'ok';
  // Anything can be written as text.
  if (to === 'string' || to === 'text') return 'ok';
  // Email, phone and URL are formats of text: CRMs often store them as plain strings, and
  // each value is still validated when converted.
  if (to === 'phone' || to === 'url' || to === 'email') return TEXTUAL.includes(from) ? 'ok' : 'incompatible';
  if (to === 'enumeration') return TEXTUAL.includes(from) ? 'lossy' : 'incompatible';
  if (to === 'multi_enumeration') return from === 'enumeration' ? 'ok' : TEXTUAL.includes(from) ? 'lossy' : 'incompatible';
  if (to === 'datetime') return from === 'date' ? 'ok' : TEXTUAL.includes(from) || from === 'number' ? 'lossy' : 'incompatible';
  if (to === 'date') return from === 'datetime' || TEXTUAL.includes(from) || from === 'number' ? 'lossy' : 'incompatible';
  // number or boolean: only textual values can hold one.
  return TEXTUAL.includes(from) ? 'lossy' : 'incompatible';
}
