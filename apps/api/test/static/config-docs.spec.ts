/**
 * Every environment variable the configuration reads is documented: a row in
 * docs/CONFIGURATION.md and a line in .env.example. A setting added to app-config.ts without
 * both fails here, naming it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');
const read = (relative: string): string => fs.readFileSync(path.join(repoRoot, relative), 'utf8');

/** The names app-config.ts reads: upper-case string literals, less the error codes it compares. */
function variablesRead(): string[] {
  const source = read('apps/api/src/config/app-config.ts');
  const names = new Set([...source.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})'/g)].map((m) => m[1]));
  for (const notAVariable of ['EEXIST', 'ENOENT']) names.delete(notAVariable);
  return [...names].sort();
}

describe('configuration documentation', () => {
  const variables = variablesRead();

  it('finds the variables the configuration reads', () => {
    expect(variables).toEqual(expect.arrayContaining(['APP_URL', 'DATABASE_URL', 'JWT_ACCESS_SECRET', 'PORT']));
    expect(variables.length).toBeGreaterThan(40);
  });

  it('documents every one in docs/CONFIGURATION.md', () => {
    const doc = read('docs/CONFIGURATION.md');
    expect(variables.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });

  it('lists every one in .env.example (set or commented out)', () => {
    const example = read('.env.example');
    expect(variables.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example))).toEqual([]);
  });
});
