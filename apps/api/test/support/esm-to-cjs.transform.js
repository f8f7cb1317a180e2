// @ts-check
/**
 * Jest transform for ESM-only packages in node_modules (Nest 12, uuid): Jest's loader cannot
 * require ESM on Node 20, so they are transpiled to CommonJS for tests only. `import.meta` has
 * no CommonJS form, so it is replaced by an object with the CommonJS equivalents.
 */
const { createHash } = require('node:crypto');
const ts = require('typescript');

const VERSION = '6';

module.exports = {
  /**
   * @param {string} source @param {string} filename
   * @param {{ supportsStaticESM?: boolean }} [options]
   */
  process(source, filename, options) {
    // Loaded through a dynamic `import()` (@fastify/cookie does that), Jest runs the file as a real
    // ES module (with --experimental-vm-modules): then it must stay ESM.
    if (options?.supportsStaticESM) return { code: source };
    // Some @nestjs packages (throttler) still ship CommonJS: leave those as they are.
    if (!/^\s*(import|export)[\s{*]/m.test(source)) return { code: source };
    const code = source
      // ESM has no `require`, so any binding of that name is the module's own (`createRequire`);
      // renamed, it cannot clash with the CommonJS wrapper's parameter.
      .replace(/(?<![\w$.\-/])require\b(?!-)/g, '__esmRequire')
      .replace(
        /import\.meta\b/g,
        "({ url: 'file://' + __filename, dirname: __dirname, filename: __filename, resolve: (s) => require.resolve(s) })",
      );
    const { outputText } = ts.transpileModule(code, {
      fileName: filename,
      compilerOptions: {
        allowJs: true,
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    return { code: outputText };
  },
  /** @param {string} source @param {string} filename */
  getCacheKey(source, filename, options) {
    return createHash('sha1')
      .update(VERSION)
      .update(options?.supportsStaticESM ? 'esm' : 'cjs')
      .update(ts.version)
      .update(filename)
      .update(source)
      .digest('hex');
  },
};
