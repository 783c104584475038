/** Loads the committed TL text (service schema + API layer) and indexes it for the codec. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseSchema, type TlCombinator } from './parser';

export class TlSchema {
  readonly byId = new Map<number, TlCombinator>();
  readonly byName = new Map<string, TlCombinator>();
  /** For `%Type` bare references: the single constructor of each type. */
  readonly constructorsOfType = new Map<string, TlCombinator[]>();

  constructor(
    combinators: readonly TlCombinator[],
    readonly layer: number,
  ) {
    for (const c of combinators) {
      // A later definition (the API layer) wins over an earlier one of the same name.
      this.byId.set(c.id, c);
      this.byName.set(c.name, c);
      if (c.kind === 'constructor') {
        const list = this.constructorsOfType.get(c.resultText) ?? [];
        list.push(c);
        this.constructorsOfType.set(c.resultText, list);
      }
    }
  }

  get(name: string): TlCombinator {
    const c = this.byName.get(name);
    if (!c) throw new Error(`unknown TL combinator ${name}`);
    return c;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
let cached: TlSchema | undefined;

export function schemaTexts(): { mtproto: string; api: string } {
  return {
    mtproto: readFileSync(join(here, 'schema', 'mtproto.tl'), 'utf8'),
    api: readFileSync(join(here, 'schema', 'api.tl'), 'utf8'),
  };
}

/** The schema the server speaks: MTProto service types plus the API layer in api.tl. */
export function loadSchema(): TlSchema {
  if (cached) return cached;
  const { mtproto, api } = schemaTexts();
  const service = parseSchema(mtproto);
  const layer = parseSchema(api);
  if (layer.layer === undefined) throw new Error('api.tl does not declare its LAYER');
  cached = new TlSchema([...service.combinators, ...layer.combinators], layer.layer);
  return cached;
}
