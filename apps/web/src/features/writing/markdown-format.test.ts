import { describe, expect, it } from 'vitest';

import { applyFormat, type FormatKind, type TextEdit } from './markdown-format';

/** `[` and `]` mark the selection in these examples. */
function edit(marked: string): TextEdit {
  const start = marked.indexOf('[');
  const end = marked.indexOf(']') - 1;
  return { value: marked.replace('[', '').replace(']', ''), selectionStart: start, selectionEnd: end };
}
function show(result: TextEdit): string {
  const { value, selectionStart, selectionEnd } = result;
  return `${value.slice(0, selectionStart)}[${value.slice(selectionStart, selectionEnd)}]${value.slice(selectionEnd)}`;
}
const apply = (kind: FormatKind, marked: string) => show(applyFormat(kind, edit(marked)));

describe('The formatting toolbar’s edits', () => {
  it('wraps the selection in bold, italic and code marks, keeping it selected', () => {
    expect(apply('bold', 'The [harbour] fills')).toBe('The **[harbour]** fills');
    expect(apply('italic', 'The [harbour] fills')).toBe('The _[harbour]_ fills');
    expect(apply('code', 'Run [npm test] now')).toBe('Run `[npm test]` now');
  });

  it('inserts a placeholder to type over when nothing is selected', () => {
    expect(apply('bold', 'Hello []')).toBe('Hello **[bold text]**');
  });

  it('makes the lines of the selection a level-2 heading, a list or a quotation', () => {
    expect(apply('heading', 'Intro\n[High water]\nmore')).toBe('Intro\n[## High water]\nmore');
    expect(apply('list', '[one\ntwo]')).toBe('[- one\n- two]');
    expect(apply('quote', 'a\n[said so]')).toBe('a\n[> said so]');
  });

  it('fences a selection of several lines as a code block', () => {
    expect(apply('code', '[a = 1\nb = 2]')).toBe('```\n[a = 1\nb = 2]\n```');
  });

  it('makes a link of the selected words and selects the address to type', () => {
    // The text "See [the tables](https://) now" with the address selected.
    expect(apply('link', 'See [the tables] now')).toBe('See [the tables]([https://]) now');
    // Nothing selected: the words are selected to type over.
    expect(apply('link', 'See []')).toBe('See [[link text]](https://)');
  });

  it('inserts an image with its description selected (an image needs one to be published)', () => {
    expect(apply('image', 'Look: []')).toBe('Look: ![[Describe the image]](https://)');
  });
});
