import { MARK_END, MARK_START } from './posts.repository';
import { snippetHtml } from './posts.service';

const marked = (word: string): string => `${MARK_START}${word}${MARK_END}`;

describe('snippetHtml', () => {
  it("drops the Markdown's marks (headings, emphasis, links, list markers) and keeps the words", () => {
    const raw = `Forty winters\n\nShe kept the **${marked('lighthouse')}**. Read [the logbook](https://example.com/log).\n\n- storms\n- ships\n1. gulls`;
    expect(snippetHtml(raw)).toBe(
      'Forty winters She kept the <mark>lighthouse</mark>. Read the logbook. storms ships gulls',
    );
  });

  it('escapes everything else, so <mark> is the only markup', () => {
    expect(snippetHtml(`<img src=x onerror=alert(1)> a & b "c" ${marked('tide')}`)).toBe(
      'a &#38; b &#34;c&#34; <mark>tide</mark>',
    );
  });

  it('drops marks that do not open and close in turn', () => {
    expect(snippetHtml(`half ${MARK_END}open`)).toBe('half open');
  });
});
