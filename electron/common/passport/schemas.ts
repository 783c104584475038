/**
 * The JSON objects stored encrypted inside `secureValue.data` (core.telegram.org/passport,
 * "PersonalDetails", "IdDocumentData", "ResidentialAddress").
 *
 * Every value is a string (tdesktop refuses bool/array/object values). Keys we do not know are kept
 * as long as they are strings too (`catchall`), so a value written by a newer client survives being
 * opened and saved by us.
 */
import { z } from 'zod';
import {
  CountryCode,
  Gender,
  LatinName,
  MAX_DOCUMENT_NO_LENGTH,
  MAX_STREET_LENGTH,
  MIN_CITY_LENGTH,
  NativeName,
  PassportDate,
  PostCode,
  optionalField,
} from './fields';

export const PersonalDetailsSchema = z
  .object({
    first_name: LatinName,
    middle_name: optionalField(LatinName),
    last_name: LatinName,
    birth_date: PassportDate,
    gender: Gender,
    country_code: CountryCode,
    residence_country_code: CountryCode,
    // Present only when a service asked for `native_names`; any script is allowed.
    first_name_native: optionalField(NativeName),
    middle_name_native: optionalField(NativeName),
    last_name_native: optionalField(NativeName),
  })
  .catchall(z.string());
export type PersonalDetails = z.infer<typeof PersonalDetailsSchema>;

export const IdDocumentDataSchema = z
  .object({
    document_no: z.string().min(1).max(MAX_DOCUMENT_NO_LENGTH),
    expiry_date: optionalField(PassportDate),
  })
  .catchall(z.string());
export type IdDocumentData = z.infer<typeof IdDocumentDataSchema>;

export const ResidentialAddressSchema = z
  .object({
    street_line1: z.string().min(1).max(MAX_STREET_LENGTH),
    street_line2: optionalField(z.string().max(MAX_STREET_LENGTH)),
    city: z.string().min(MIN_CITY_LENGTH).max(MAX_STREET_LENGTH),
    state: optionalField(z.string().max(MAX_STREET_LENGTH)),
    country_code: CountryCode,
    post_code: PostCode,
  })
  .catchall(z.string());
export type ResidentialAddress = z.infer<typeof ResidentialAddressSchema>;

/** The three kinds of encrypted `data` a SecureValue can carry (see the catalogue). */
export const DATA_SCHEMAS = {
  personal_details: PersonalDetailsSchema,
  id_document: IdDocumentDataSchema,
  address: ResidentialAddressSchema,
} as const;
export type DataKind = keyof typeof DATA_SCHEMAS;
