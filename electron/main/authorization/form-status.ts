/**
 * Whether the person's values satisfy a form, item by item, as tdesktop decides before it enables
 * "Authorize" (passport_form_controller / passport_panel_controller): the type's own parts (data,
 * front side, reverse side where the document has one, at least one scan for address proofs, the
 * plain phone/e-mail), plus a selfie and translations when the service asks, and no complaint of
 * the service still standing. Native names need the decrypted data: that check belongs to the vault.
 */
import type { RequiredItem, RequiredType } from '../../common/authorization/request';
import type { FormItem, FormOption, ItemStatus } from '../../common/authorization/form-view';
import { FORM_FIELDS } from '../../common/passport/form-fields';
import { secureValueTypeInfo, type SecureValueTypeName } from '../../common/passport/secure-value-types';
import type { ServiceValueError } from '../telegram/authorization-api';
import type { SecureValue } from '../telegram/passport-api';

/** The parts of `value` the request still lacks, in words. */
export function missingParts(value: SecureValue, req: RequiredType): string[] {
  const info = secureValueTypeInfo(req.type);
  const out: string[] = [];
  if (info.data !== null && value.data === null) out.push('the details');
  if (info.fileSlots.includes('front_side') && value.frontSide === null) out.push('the front side');
  if (info.fileSlots.includes('reverse_side') && value.reverseSide === null) out.push('the reverse side');
  if (req.selfie && value.selfie === null) out.push('a selfie with the document');
  if (info.files && value.files.length === 0) out.push('a scan of the document');
  if (req.translation && value.translation.length === 0) out.push('a translation');
  if (info.plain !== null && value.plain === null) out.push(info.plain === 'phone' ? 'the phone number' : 'the e-mail address');
  return out;
}

/** Errors that still apply: the hash they name is still part of the value. */
export function standingErrors(value: SecureValue | undefined, errors: readonly ServiceValueError[]): ServiceValueError[] {
  if (value === undefined) return [];
  const fileHashes = (files: readonly { fileHash: Buffer }[]): Buffer[] => files.map((f) => f.fileHash);
  const single = (f: { fileHash: Buffer } | null): Buffer[] => (f === null ? [] : [f.fileHash]);
  return errors.filter((e) => {
    if (e.type !== value.type) return false;
    const current: Buffer[] =
      e.target === 'data'
        ? value.data === null
          ? []
          : [value.data.dataHash]
        : e.target === 'front_side'
          ? single(value.frontSide)
          : e.target === 'reverse_side'
            ? single(value.reverseSide)
            : e.target === 'selfie'
              ? single(value.selfie)
              : e.target === 'file' || e.target === 'files'
                ? fileHashes(value.files)
                : e.target === 'translation_file' || e.target === 'translation_files'
                  ? fileHashes(value.translation)
                  : [value.hash];
    return e.hashes.length > 0 && e.hashes.every((h) => current.some((c) => c.equals(h)));
  });
}

/** A data field as the editor labels it ("First name (Latin letters)"), else its key. */
function fieldLabel(type: SecureValueTypeName, key: string | null): string {
  if (key === null) return 'a field';
  const kind = secureValueTypeInfo(type).data;
  const label = kind === null ? undefined : FORM_FIELDS[kind].find((f) => f.key === key)?.label;
  return label !== undefined ? `“${label}”` : `the field ${key}`;
}

function describeError(e: ServiceValueError): string {
  const where: Record<ServiceValueError['target'], string> = {
    data: fieldLabel(e.type, e.field),
    front_side: 'the front side',
    reverse_side: 'the reverse side',
    selfie: 'the selfie',
    file: 'a scan',
    files: 'the scans',
    translation_file: 'a translation',
    translation_files: 'the translations',
    value: 'this document',
  };
  return `${where[e.target]}: ${e.text}`;
}

export function optionFor(req: RequiredType, values: ReadonlyMap<SecureValueTypeName, SecureValue>, errors: readonly ServiceValueError[]): FormOption {
  const value = values.get(req.type);
  const info = secureValueTypeInfo(req.type);
  const missing = value === undefined ? [] : missingParts(value, req);
  const standing = standingErrors(value, errors);
  const status: ItemStatus = value === undefined ? 'missing' : standing.length > 0 ? 'needs_fix' : missing.length > 0 ? 'incomplete' : 'ready';
  return {
    type: req.type,
    label: info.label,
    selfie: req.selfie,
    translation: req.translation,
    nativeNames: req.nativeNames,
    status,
    missing,
    errors: standing.map(describeError),
  };
}

export function formItems(required: readonly RequiredItem[], values: readonly SecureValue[], errors: readonly ServiceValueError[]): FormItem[] {
  const byType = new Map(values.map((v) => [v.type, v] as const));
  return required.map((item, index) => {
    const reqs = item.kind === 'type' ? [item] : item.types;
    const options = reqs.map((r) => optionFor({ type: r.type, selfie: r.selfie, translation: r.translation, nativeNames: r.nativeNames }, byType, errors));
    const suggested = (options.find((o) => o.status === 'ready') ?? options.find((o) => o.status !== 'missing') ?? options[0]) as FormOption;
    return { index, kind: item.kind, options, suggested: suggested.type };
  });
}
