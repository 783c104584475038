/** What FileSlots.vue exposes to its editor (typed here: lint cannot see through a .vue file's defineExpose). */
import type { RequestOf } from '@common/ipc/api';
import type { StoredDocument } from '../stores/vault';

export type FileRefs = Pick<RequestOf<'vault.save'>, 'frontSide' | 'reverseSide' | 'selfie' | 'files' | 'translation'>;

export interface FileSlotsApi {
  /** Shows what the vault holds (after opening or saving). */
  reset(doc: StoredDocument | null): void;
  /** The file part of a vault.save request. */
  refs(): FileRefs;
  /** Exposed refs arrive unwrapped on the component instance. */
  readonly dirty: boolean;
  readonly busy: boolean;
  readonly count: number;
}
