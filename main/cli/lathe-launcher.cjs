#!/usr/bin/env node
// The `lathe` command as npm installs it: package.json "bin", `npm link`, node_modules/.bin/lathe.
// Whatever Node runs this file (the system's may be old), it runs Lathe on Node 24:
//   - this Node is 24 or newer: run the CLI here, in this process (no second start-up);
//   - else: run it with the project's own Node 24 (the `node` devDependency), passing arguments,
//     stdin/stdout/stderr, the exit code and signals through;
//   - neither: say in one line what to install.
// The CLI is the bundle `npm run build` makes (main/dist/lathe.mjs); before a build, the source.
// Plain CommonJS in old syntax on purpose: it must parse and run on any Node from 14 on.
'use strict';

var childProcess = require('child_process');
var fs = require('fs');
var path = require('path');
var url = require('url');

// node:sqlite, the type stripping of the source entry, import.meta.dirname: Node 24 has them all.
var REQUIRED_MAJOR = 24;

var root = path.resolve(__dirname, '..', '..');
var bundle = path.join(root, 'main', 'dist', 'lathe.mjs');
var source = path.join(root, 'main', 'cli', 'lathe.ts');
// Where the `node` package links its binary (node_modules/node/installArchSpecificPackage.js):
// bin/node, or bin/node.exe on Windows, where bin/node is a placeholder.
var projectNode = path.join(root, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

function fail(message) {
  process.stderr.write('lathe: ' + message + '\n');
  process.exit(1);
}

function runHere(entry) {
  import(url.pathToFileURL(entry).href).catch(function (error) {
    fail('could not start ' + entry + ': ' + (error && error.stack ? error.stack : String(error)));
  });
}

function runWithProjectNode(entry) {
  var child = childProcess.spawn(projectNode, [entry].concat(process.argv.slice(2)), { stdio: 'inherit' });
  var forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'].filter(function (signal) {
    return process.platform !== 'win32' || signal === 'SIGINT' || signal === 'SIGTERM';
  });
  var forward = function (signal) {
    child.kill(signal);
  };
  forwarded.forEach(function (signal) {
    process.on(signal, forward);
  });
  child.on('error', function (error) {
    fail('could not run ' + projectNode + ' (' + error.message + '). Run `npm install` in ' + root + ', or install Node.js ' + REQUIRED_MAJOR + ' or newer.');
  });
  child.on('exit', function (code, signal) {
    forwarded.forEach(function (name) {
      process.removeListener(name, forward);
    });
    if (signal) {
      // Die of the same signal, so the caller (a shell, a script) sees what happened.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

var entry = fs.existsSync(bundle) ? bundle : source;
if (majorOf(process.versions.node) >= REQUIRED_MAJOR) {
  runHere(entry);
} else if (fs.existsSync(projectNode)) {
  runWithProjectNode(entry);
} else {
  fail(
    'Lathe needs Node.js ' + REQUIRED_MAJOR + ' or newer; this is Node.js ' + process.versions.node + ' (' + process.execPath + '). ' +
      'Install Node.js ' + REQUIRED_MAJOR + ' (https://nodejs.org), or run `npm install` in ' + root + ' to get the project\'s own.',
  );
}
