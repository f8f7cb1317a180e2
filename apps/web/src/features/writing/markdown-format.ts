/** What the formatting toolbar can do to the Markdown at the selection. */
export type FormatKind = 'bold' | 'italic' | 'heading' | 'link' | 'list' | 'quote' | 'code' | 'image';

export interface TextEdit {
  value: string;
  selectionStart: number;
  selectionEnd: number;
}

/** Wraps the selection in `before`/`after`; with nothing selected, inserts `placeholder` selected. */
function wrap(edit: TextEdit, before: string, after: string, placeholder: string): TextEdit {
  const { value, selectionStart: start, selectionEnd: end } = edit;
  const selected = value.slice(start, end) || placeholder;
  const next = value.slice(0, start) + before + selected + after + value.slice(end);
  return { value: next, selectionStart: start + before.length, selectionEnd: start + before.length + selected.length };
}

/** Puts `prefix` before every line the selection touches (a heading, a list, a quote). */
function prefixLines(edit: TextEdit, prefix: (index: number) => string, placeholder: string): TextEdit {
  const { value } = edit;
  const lineStart = value.lastIndexOf('\n', edit.selectionStart - 1) + 1;
  const endBreak = value.indexOf('\n', edit.selectionEnd);
  const lineEnd =
    edit.selectionEnd > edit.selectionStart && value[edit.selectionEnd - 1] === '\n'
      ? edit.selectionEnd - 1
      : endBreak === -1
        ? value.length
        : endBreak;
  const block = value.slice(lineStart, lineEnd);
  if (block === '') {
    const text = prefix(0) + placeholder;
    return {
      value: value.slice(0, lineStart) + text + value.slice(lineEnd),
      selectionStart: lineStart + prefix(0).length,
      selectionEnd: lineStart + text.length,
    };
  }
  const lines = block.split('\n').map((line, index) => prefix(index) + line);
  const text = lines.join('\n');
  return {
    value: value.slice(0, lineStart) + text + value.slice(lineEnd),
    selectionStart: lineStart,
    selectionEnd: lineStart + text.length,
  };
}

/**
 * The toolbar's edit of the Markdown: the new text and what to select afterwards (the words to
 * type over — the link's address, an image's description — or the text just formatted).
 */
export function applyFormat(kind: FormatKind, edit: TextEdit): TextEdit {
  const selected = edit.value.slice(edit.selectionStart, edit.selectionEnd);
  switch (kind) {
    case 'bold':
      return wrap(edit, '**', '**', 'bold text');
    case 'italic':
      return wrap(edit, '_', '_', 'italic text');
    case 'heading':
      // The post's title is the h1: headings in the body start at h2.
      return prefixLines(edit, () => '## ', 'Heading');
    case 'list':
      return prefixLines(edit, () => '- ', 'List item');
    case 'quote':
      return prefixLines(edit, () => '> ', 'Quotation');
    case 'code':
      return selected.includes('\n') ? wrap(edit, '```\n', '\n```', '') : wrap(edit, '`', '`', 'code');
    case 'link': {
      const text = selected || 'link text';
      const start = edit.selectionStart;
      const inserted = `[${text}](https://)`;
      const url = start + text.length + 3;
      return {
        value: edit.value.slice(0, start) + inserted + edit.value.slice(edit.selectionEnd),
        // With words chosen, the address is what is left to type; without, the words.
        selectionStart: selected ? url : start + 1,
        selectionEnd: selected ? url + 'https://'.length : start + 1 + text.length,
      };
    }
    case 'image': {
      const alt = selected || 'Describe the image';
      const start = edit.selectionStart;
      const inserted = `![${alt}](https://)`;
      return {
        value: edit.value.slice(0, start) + inserted + edit.value.slice(edit.selectionEnd),
        // The description first: an image without one cannot be published.
        selectionStart: start + 2,
        selectionEnd: start + 2 + alt.length,
      };
    }
  }
}
