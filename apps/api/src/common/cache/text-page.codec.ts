import type { CacheCodec } from './cache.service';

/** A page kept for answering as it is: its head (paging, tag) and its items' JSON text. */
export type TextPage<Head extends object> = Head & { itemsJson: string };

/**
 * Stored as the head in JSON, a newline, then the items' JSON text (JSON text holds no raw
 * newline): a hit parses the small head only, and the items go out as they were stored, spliced
 * into the envelope by `SerializedPage` (docs/DECISIONS.md 103).
 */
export function textPageCodec<Head extends object>(): CacheCodec<TextPage<Head>> {
  return {
    encode: ({ itemsJson, ...head }) => `${JSON.stringify(head)}\n${itemsJson}`,
    decode: (text) => {
      const end = text.indexOf('\n');
      return { ...(JSON.parse(text.slice(0, end)) as Head), itemsJson: text.slice(end + 1) };
    },
  };
}
