/**
 * Babel plugin for jest: what an ES module of NestJS 12 needs besides import/export to run as CommonJS
 * (jest.config.js says why the suite runs them as CommonJS). Applied before
 * @babel/plugin-transform-modules-commonjs.
 *
 * - `import.meta` becomes the same facts from CommonJS: `url`, `filename`, `dirname`, `resolve()`.
 * - `import(specifier)` becomes a `require` in a promise, answering the module's namespace as Node's
 *   `import()` would (a CommonJS module's exports as `default` besides its named ones): Nest loads its
 *   adapters and optional packages this way.
 * - A module-level binding named `require` (`const require = createRequire(import.meta.url)`) is
 *   renamed: in CommonJS it would shadow the module's own `require`, which the transformed imports call
 *   before that line runs.
 */
module.exports = function esmToCommonJs({ types: t, template }) {
  const importMeta = template.expression.ast(`({
    url: require('node:url').pathToFileURL(__filename).href,
    filename: __filename,
    dirname: __dirname,
    resolve: (specifier) => require('node:url').pathToFileURL(require.resolve(specifier)).href,
  })`);
  const dynamicImport = template.expression(`Promise.resolve().then(() => {
    const module = require(SPECIFIER);
    return module && module.__esModule ? module : { ...module, default: module };
  })`);
  return {
    name: 'esm-to-commonjs',
    visitor: {
      Program(path) {
        if (path.scope.hasOwnBinding('require')) path.scope.rename('require');
      },
      CallExpression(path) {
        if (path.node.callee.type === 'Import') {
          path.replaceWith(dynamicImport({ SPECIFIER: path.node.arguments[0] }));
        }
      },
      MetaProperty(path) {
        const { meta, property } = path.node;
        if (meta.name === 'import' && property.name === 'meta') path.replaceWith(t.cloneNode(importMeta));
      },
    },
  };
};
