import { accessibilityProblems } from './accessibility';
import { renderMarkdown } from './markdown';

const problemsOf = (markdown: string) => accessibilityProblems(renderMarkdown(markdown)).map((p) => p.code);

describe('accessibilityProblems', () => {
  it('finds nothing in a well-made post', () => {
    expect(
      problemsOf(
        [
          '## Tides',
          '![A lighthouse at dusk](https://example.com/l.png)',
          '### High water',
          'Read the [tide tables for Bergen](https://example.com/tides).',
          '## Sources',
          '[![The harbour office logo](https://example.com/logo.png)](https://example.com)',
        ].join('\n\n'),
      ),
    ).toEqual([]);
  });

  it('names each image without alt text, with its file', () => {
    const problems = accessibilityProblems(renderMarkdown('![](https://example.com/a/harbour.jpg?x=1)\n\n![ ](b.png)'));
    expect(problems.map((p) => p.code)).toEqual(['IMAGE_WITHOUT_ALT', 'IMAGE_WITHOUT_ALT']);
    expect(problems[0].message).toContain('Image 1 (harbour.jpg)');
    expect(problems[1].message).toContain('Image 2 (b.png)');
  });

  it('finds a heading that skips a level: the body starts at h2 under the title', () => {
    expect(problemsOf('### Starts too deep')).toEqual(['HEADING_LEVEL_SKIPPED']);
    expect(problemsOf('## One\n\n#### Three')).toEqual(['HEADING_LEVEL_SKIPPED']);
    // Going back up any number of levels is fine.
    expect(problemsOf('## A\n\n### B\n\n#### C\n\n## D')).toEqual([]);
    expect(accessibilityProblems(renderMarkdown('## One\n\n#### Three'))[0].message).toBe(
      'Heading "Three" is an h4 after an h2: use h3 (the title is the h1)',
    );
  });

  it('finds links that are empty or say nothing out of context', () => {
    expect(problemsOf('[](https://example.com)')).toEqual(['LINK_TEXT_EMPTY']);
    expect(problemsOf('[Click here](https://example.com) and [read more…](https://example.com/more)')).toEqual([
      'LINK_TEXT_VAGUE',
      'LINK_TEXT_VAGUE',
    ]);
    expect(problemsOf('[Click here for the tide tables](https://example.com)')).toEqual([]);
  });
});
