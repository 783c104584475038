/**
 * The catalogue of the 13 SecureValueTypes: the one place that says what each type carries.
 * Forms, the IPC contract, the credentials builder and the service-side decryptor all read it.
 *
 * Sources: `api.tl` (constructor ids, see PASSPORT-SPEC §1e), core.telegram.org/passport/encryption
 * (which fields each type may have), Bot API `EncryptedPassportElement` (the type strings).
 */
import { z } from 'zod';
import type { DataKind } from './schemas';

/** At most 20 scans and 20 translations per value (tdesktop FormController kDocumentScansLimit). */
export const MAX_FILES_PER_VALUE = 20;
export const MAX_TRANSLATIONS_PER_VALUE = 20;

export type SecureValueGroup = 'identity' | 'address' | 'contact';
/** The single-file slots; `files` and `translation` are the multi-file lists. */
export type FileSlot = 'front_side' | 'reverse_side' | 'selfie';
export type FileListSlot = 'files' | 'translation';
export type PlainKind = 'phone' | 'email';

export interface SecureValueTypeInfo {
  /** The Bot API / credentials JSON spelling, e.g. `driver_license`. */
  readonly type: SecureValueTypeName;
  /** What people call it, for lists and headings. */
  readonly label: string;
  /** The TL constructor name, e.g. `secureValueTypeDriverLicense`. */
  readonly tlName: string;
  /** The TL constructor id as an unsigned 32-bit number. */
  readonly constructorId: number;
  readonly group: SecureValueGroup;
  /** Which JSON object is encrypted in `data`, or null if the type has no data. */
  readonly data: DataKind | null;
  /** Single-file slots the type can carry. */
  readonly fileSlots: readonly FileSlot[];
  /** Whether the type carries a list of scans (`files`, address proofs). */
  readonly files: boolean;
  /** Whether the type can carry translations (`translation`). */
  readonly translation: boolean;
  /** Unencrypted `SecurePlainData`, or null. */
  readonly plain: PlainKind | null;
}

export const SECURE_VALUE_TYPE_NAMES = [
  'personal_details',
  'passport',
  'driver_license',
  'identity_card',
  'internal_passport',
  'address',
  'utility_bill',
  'bank_statement',
  'rental_agreement',
  'passport_registration',
  'temporary_registration',
  'phone_number',
  'email',
] as const;
export const SecureValueTypeNameSchema = z.enum(SECURE_VALUE_TYPE_NAMES);
export type SecureValueTypeName = z.infer<typeof SecureValueTypeNameSchema>;

function idDocument(
  type: SecureValueTypeName,
  label: string,
  tlName: string,
  constructorId: number,
  hasReverse: boolean,
): SecureValueTypeInfo {
  return {
    type,
    label,
    tlName,
    constructorId,
    group: 'identity',
    data: 'id_document',
    fileSlots: hasReverse ? ['front_side', 'reverse_side', 'selfie'] : ['front_side', 'selfie'],
    files: false,
    translation: true,
    plain: null,
  };
}

function addressProof(type: SecureValueTypeName, label: string, tlName: string, constructorId: number): SecureValueTypeInfo {
  return {
    type,
    label,
    tlName,
    constructorId,
    group: 'address',
    data: null,
    fileSlots: [],
    files: true,
    translation: true,
    plain: null,
  };
}

const CATALOGUE_LIST: readonly SecureValueTypeInfo[] = [
  {
    type: 'personal_details',
    label: 'Personal details',
    tlName: 'secureValueTypePersonalDetails',
    constructorId: 0x9d2a81e3,
    group: 'identity',
    data: 'personal_details',
    fileSlots: [],
    files: false,
    translation: false,
    plain: null,
  },
  idDocument('passport', 'Passport', 'secureValueTypePassport', 0x3dac6a00, false),
  idDocument('driver_license', 'Driver license', 'secureValueTypeDriverLicense', 0x06e425c4, true),
  idDocument('identity_card', 'Identity card', 'secureValueTypeIdentityCard', 0xa0d0744b, true),
  idDocument('internal_passport', 'Internal passport', 'secureValueTypeInternalPassport', 0x99a48f23, false),
  {
    type: 'address',
    label: 'Residential address',
    tlName: 'secureValueTypeAddress',
    constructorId: 0xcbe31e26,
    group: 'address',
    data: 'address',
    fileSlots: [],
    files: false,
    translation: false,
    plain: null,
  },
  addressProof('utility_bill', 'Utility bill', 'secureValueTypeUtilityBill', 0xfc36954e),
  addressProof('bank_statement', 'Bank statement', 'secureValueTypeBankStatement', 0x89137c0d),
  addressProof('rental_agreement', 'Rental agreement', 'secureValueTypeRentalAgreement', 0x8b883488),
  addressProof('passport_registration', 'Passport registration', 'secureValueTypePassportRegistration', 0x99e3806a),
  addressProof('temporary_registration', 'Temporary registration', 'secureValueTypeTemporaryRegistration', 0xea02ec33),
  {
    type: 'phone_number',
    label: 'Phone number',
    tlName: 'secureValueTypePhone',
    constructorId: 0xb320aadb,
    group: 'contact',
    data: null,
    fileSlots: [],
    files: false,
    translation: false,
    plain: 'phone',
  },
  {
    type: 'email',
    label: 'Email',
    tlName: 'secureValueTypeEmail',
    constructorId: 0x8e3ca7ee,
    group: 'contact',
    data: null,
    fileSlots: [],
    files: false,
    translation: false,
    plain: 'email',
  },
];

export const SECURE_VALUE_TYPES: Readonly<Record<SecureValueTypeName, SecureValueTypeInfo>> = Object.freeze(
  Object.fromEntries(CATALOGUE_LIST.map((info) => [info.type, info])) as Record<
    SecureValueTypeName,
    SecureValueTypeInfo
  >,
);

export function secureValueTypeInfo(type: SecureValueTypeName): SecureValueTypeInfo {
  return SECURE_VALUE_TYPES[type];
}

export function isSecureValueTypeName(value: string): value is SecureValueTypeName {
  return (SECURE_VALUE_TYPE_NAMES as readonly string[]).includes(value);
}

export const SECURE_VALUE_GROUPS: readonly { readonly group: SecureValueGroup; readonly label: string }[] = [
  { group: 'identity', label: 'Identity' },
  { group: 'address', label: 'Address' },
  { group: 'contact', label: 'Contact' },
];

/** The types of one group, in catalogue order (the order Telegram's apps show them in). */
export function secureValueTypesIn(group: SecureValueGroup): readonly SecureValueTypeInfo[] {
  return CATALOGUE_LIST.filter((info) => info.group === group);
}

/** Lookup by TL constructor id (for the MTProto side). */
export function secureValueTypeByConstructorId(id: number): SecureValueTypeInfo | undefined {
  return CATALOGUE_LIST.find((info) => info.constructorId === id >>> 0);
}
