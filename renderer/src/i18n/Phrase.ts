/**
 * A catalogue message with markup inside it: `<Phrase k="lock.telegramLede"><template #password><strong>…</strong></template></Phrase>`.
 * The message keeps its `{password}` placeholder where the translator put it; each placeholder is the
 * slot of that name, or else the `params` value. The words around stay one message for translators.
 */
import { Fragment, defineComponent, h, type PropType, type VNodeArrayChildren } from 'vue';
import { template, type TextKey } from './i18n';

export default defineComponent({
  name: 'Phrase',
  props: {
    k: { type: String as PropType<TextKey>, required: true },
    /** An element to wrap the message in; none by default (the words go straight into the parent). */
    tag: { type: String, default: '' },
    params: { type: Object as PropType<Readonly<Record<string, string | number>>>, default: () => ({}) },
  },
  setup(props, { slots }) {
    return () => {
      const parts: VNodeArrayChildren = [];
      for (const [i, piece] of template(props.k).split(/\{(\w+)\}/).entries()) {
        if (i % 2 === 0) {
          if (piece !== '') parts.push(piece);
          continue;
        }
        const slot = slots[piece];
        parts.push(slot !== undefined ? slot() : String(props.params[piece] ?? `{${piece}}`));
      }
      return props.tag === '' ? h(Fragment, parts) : h(props.tag, parts);
    };
  },
});
