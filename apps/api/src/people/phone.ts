import { registerDecorator, type ValidationOptions } from 'class-validator';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Why a phone number is refused, in the words the 400 names the field with; null when it is a real number. */
export function phoneProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed) {
    return /^\s*\+/.test(value)
      ? 'is not a phone number (expected + country code and number, e.g. +1 415 555 0100)'
      : 'needs its country code: write it in international format, e.g. +1 415 555 0100 or +49 30 1234567';
  }
  if (!parsed.isValid()) return `is not a valid ${parsed.country ?? `+${parsed.countryCallingCode}`} phone number (wrong number of digits or an unused range)`;
  return null;
}

/**
 * A phone number in international format that exists in the numbering plan of its country (libphonenumber-js, the
 * JavaScript port of Google's libphonenumber). Spaces, dashes, dots, parentheses and an extension are accepted.
 */
export function IsPhone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPhone',
      target: target.constructor,
      propertyName: String(propertyName),
      ...(options ? { options } : {}),
      validator: {
        validate: (value: unknown) => phoneProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'phone'} ${phoneProblem(args?.value) ?? 'is not a phone number'}`,
      },
    });
  };
}
