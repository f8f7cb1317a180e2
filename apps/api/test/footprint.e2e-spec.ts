import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PASSWORDS = resolve(__dirname, '../dist/modules/identity/passwords.service.js');
const REFERENCE = resolve(__dirname, '../dist/reference.js');
const AVATARS = resolve(__dirname, '../dist/modules/avatars');
const MEDIA = resolve(__dirname, '../dist/modules/media');

/**
 * What a process holds before it does anything (issue "Performance": the API's memory). Run on the
 * compiled build, in a process of its own, so that nothing else has loaded the modules looked for.
 */
describe('start-up footprint', () => {
  it('the password-strength dictionaries never load into the process: a worker thread checks, and judges', async () => {
    const script = `
      const { PasswordsService } = require(${JSON.stringify(PASSWORDS)});
      const loaded = () => Object.keys(require.cache).some((path) => path.includes('@zxcvbn-ts'));
      const passwords = new PasswordsService();
      const before = loaded();
      Promise.all([passwords.check('password1'), passwords.check('lantern harbour quietly folded')]).then(
        ([weak, strong]) => console.log(JSON.stringify({ before, after: loaded(), weak: weak.ok, strong: strong.ok })),
      );
    `;
    // Killed (and failed) if the process stays up until the idle worker ends (30 s).
    const { stdout } = await run(process.execPath, ['-e', script], { timeout: 15_000 });
    // Loaded neither by requiring the service (every process of the API does) nor by a check
    // (decision 94: the worker that checks ends when checks stop, and its memory with it), and the
    // check still judges: the weak password refused, the strong one taken. The process exits
    // while the worker waits: it never holds the process open.
    expect(JSON.parse(stdout)).toEqual({ before: false, after: false, weak: false, strong: true });
  });

  it("Scalar's 4 MB script is served without ever being held in the heap as a string", async () => {
    // The API's reference routes on a bare Fastify, the script asked for, then every string in the
    // heap measured (a snapshot collects first). Imported into the process, the Scalar plugin held
    // two 8 MB strings: its module's source and the script in it (decision 91).
    const script = `
      const v8 = require('node:v8');
      const { readFileSync, rmSync } = require('node:fs');
      const { setupApiReference } = require(${JSON.stringify(REFERENCE)});
      const fastify = require('fastify')();
      const app = { getHttpAdapter: () => ({ getInstance: () => fastify }) };
      (async () => {
        await setupApiReference(app);
        // Over HTTP: inject() would keep the answer's text in the heap itself.
        const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
        const served = await fetch(address + '/reference/assets/js/scalar.js');
        const [status, bytes] = [served.status, (await served.arrayBuffer()).byteLength];
        await fastify.close();
        const file = v8.writeHeapSnapshot();
        const snapshot = JSON.parse(readFileSync(file, 'utf8'));
        rmSync(file);
        const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
        const [type, size] = [fields.indexOf('type'), fields.indexOf('self_size')];
        let largest = 0;
        for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
          if (types[snapshot.nodes[i + type]] === 'string') largest = Math.max(largest, snapshot.nodes[i + size]);
        }
        console.log(JSON.stringify({ status, megabytes: Math.round(bytes / 1e6), largest }));
      })();
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: resolve(__dirname, '..') });
    const { status, megabytes, largest } = JSON.parse(stdout) as { status: number; megabytes: number; largest: number };
    expect({ status, megabytes }).toEqual({ status: 200, megabytes: 4 });
    expect(largest).toBeLessThan(1_000_000);
  });
  it('the AWS SDK and sharp load when an S3 store or an image needs them, not with their modules', async () => {
    const script = `
      const loaded = (name) => Object.keys(require.cache).some((path) => path.includes('/node_modules/' + name + '/'));
      const { AvatarsModule } = require(${JSON.stringify(`${AVATARS}/avatars.module.js`)});
      const { MediaStorageModule } = require(${JSON.stringify(`${MEDIA}/media-storage.module.js`)});
      const { processImageUpload } = require(${JSON.stringify(`${AVATARS}/avatar-image.js`)});
      const before = { sdk: loaded('@aws-sdk/client-s3'), sharp: loaded('sharp') };
      const { S3AvatarStorage } = require(${JSON.stringify(`${AVATARS}/storage/s3-avatar.storage.js`)});
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
      Promise.all([
        S3AvatarStorage.fromConfig({ driver: 's3', bucket: 'b', region: 'auto', prefix: 'avatars/', forcePathStyle: true }),
        processImageUpload(png, 1000, async (image) => (await image.metadata()).width),
      ]).then(([storage, width]) => {
        storage.onApplicationShutdown();
        const modules = [AvatarsModule, MediaStorageModule].every(Boolean);
        console.log(JSON.stringify({ modules, before, after: { sdk: loaded('@aws-sdk/client-s3'), sharp: loaded('sharp') }, width }));
      });
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: resolve(__dirname, '..') });
    expect(JSON.parse(stdout)).toEqual({
      modules: true,
      before: { sdk: false, sharp: false },
      after: { sdk: true, sharp: true },
      width: 1,
    });
  });
});
