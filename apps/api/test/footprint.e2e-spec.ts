import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PASSWORDS = resolve(__dirname, '../dist/modules/identity/passwords.service.js');

/**
 * What a process holds before it does anything (issue "Performance": the API's memory). Run on the
 * compiled build, in a process of its own, so that nothing else has loaded the modules looked for.
 */
describe('start-up footprint', () => {
  it('the password-strength dictionaries load at the first password check, not with the service', async () => {
    const script = `
      const { PasswordsService } = require(${JSON.stringify(PASSWORDS)});
      const loaded = () => Object.keys(require.cache).some((path) => path.includes('@zxcvbn-ts'));
      const passwords = new PasswordsService();
      const before = loaded();
      Promise.all([passwords.check('password1'), passwords.check('lantern harbour quietly folded')]).then(
        ([weak, strong]) => console.log(JSON.stringify({ before, after: loaded(), weak: weak.ok, strong: strong.ok })),
      );
    `;
    const { stdout } = await run(process.execPath, ['-e', script]);
    // Not loaded by requiring the service (every process of the API does), loaded by a check, and
    // the check still judges: the weak password refused, the strong one taken.
    expect(JSON.parse(stdout)).toEqual({ before: false, after: true, weak: false, strong: true });
  });
});
