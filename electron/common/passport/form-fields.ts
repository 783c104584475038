/**
 * How each data kind is edited: field order, labels and input kinds. The keys are checked against the zod
 * schemas' shapes in a test, so a field cannot be added to one and forgotten in the other.
 */
import type { DataKind } from './schemas';

export type FieldKind = 'text' | 'date' | 'gender' | 'country';

export interface FormField {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly optional: boolean;
  /** Only shown when a service asked for native names (or one is already stored). */
  readonly native?: boolean;
}

const f = (key: string, label: string, kind: FieldKind = 'text', optional = false, native = false): FormField =>
  native ? { key, label, kind, optional, native } : { key, label, kind, optional };

export const FORM_FIELDS: Readonly<Record<DataKind, readonly FormField[]>> = {
  personal_details: [
    f('first_name', 'First name (Latin letters)'),
    f('middle_name', 'Middle name', 'text', true),
    f('last_name', 'Last name'),
    f('birth_date', 'Date of birth', 'date'),
    f('gender', 'Gender', 'gender'),
    f('country_code', 'Citizenship', 'country'),
    f('residence_country_code', 'Country of residence', 'country'),
    f('first_name_native', 'First name in the document’s language', 'text', true, true),
    f('middle_name_native', 'Middle name in the document’s language', 'text', true, true),
    f('last_name_native', 'Last name in the document’s language', 'text', true, true),
  ],
  id_document: [f('document_no', 'Document number'), f('expiry_date', 'Expiry date', 'date', true)],
  address: [
    f('street_line1', 'Street'),
    f('street_line2', 'Street, line 2', 'text', true),
    f('city', 'City'),
    f('state', 'State or region', 'text', true),
    f('country_code', 'Country', 'country'),
    f('post_code', 'Postcode'),
  ],
};

/** "DD.MM.YYYY" (Passport) ↔ "YYYY-MM-DD" (the date input). */
export function passportDateToIso(value: string): string {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : '';
}
export function isoDateToPassport(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : '';
}
