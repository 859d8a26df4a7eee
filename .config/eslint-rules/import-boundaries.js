// An allowlist of imports per folder, as VS Code's `code-import-patterns` rule keeps one: each
// layer names the folders of ours, the Node built-ins and the packages it may import, and a file
// that no layer claims is an error. Adding a folder means saying what it may depend on.
import { builtinModules } from 'node:module';
import path from 'node:path';

const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** A glob with `**` (any folders) and `*` (within a name), matched against a repo-relative path. */
function globToRegExp(glob) {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i += 1;
      if (glob[i + 1] === '/') i += 1;
    } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export const importBoundaries = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object' }],
    docs: { description: 'Each folder lists what it may import; a file no layer claims is an error.' },
  },
  create(context) {
    const { root, layers } = context.options[0];
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const layer = layers.find((candidate) => candidate.files.some((glob) => globToRegExp(glob).test(file)));
    if (!layer) {
      return {
        Program(node) {
          context.report({ node, message: `No import rule covers ${file}: add it to a layer in .config/eslint.config.js, saying what it may import.` });
        },
      };
    }
    const isTest = /\.test\.tsx?$/.test(file);
    const folders = [...(layer.folders ?? []), ...(isTest ? (layer.testFolders ?? []) : [])].map(globToRegExp);
    const packages = [...(layer.packages ?? []), ...(isTest ? ['vitest', 'fast-check', ...(layer.testPackages ?? [])] : [])];
    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), specifier)).split(path.sep).join('/');
        if (!folders.some((folder) => folder.test(target))) {
          context.report({ node, message: `${layer.name} may not import ${target}. It may import: ${(layer.folders ?? []).join(', ') || 'nothing of ours'}.${layer.why ? ` ${layer.why}` : ''}` });
        }
        return;
      }
      if (builtins.has(specifier)) {
        if (!layer.node) context.report({ node, message: `${layer.name} runs without Node: it may not import ${specifier}.${layer.why ? ` ${layer.why}` : ''}` });
        return;
      }
      const name = packageOf(specifier);
      if (!packages.includes('*') && !packages.includes(name)) {
        context.report({ node, message: `${layer.name} may not import the package ${name}. Its packages: ${packages.join(', ') || 'none'}.${layer.why ? ` ${layer.why}` : ''}` });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0].value);
      },
    };
  },
};
