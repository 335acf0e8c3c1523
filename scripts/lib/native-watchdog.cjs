// A JavaScript stand-in for @vscode/native-watchdog, installed over that package's index.js in our code-server (see
// install-vscode.mjs), for the same reason as spdlog.cjs: the real one is a C++ addon that needs a compiler. The
// extension host already checks every second, in JavaScript, that its parent is alive; the addon adds a thread that
// ends a host whose event loop is blocked when its parent is gone, which a test run's own deadlines cover here.
// Without this file the host logs "Cannot find module './build/Release/watchdog'" on every start.
'use strict';

let hasStarted = false;

exports.start = function start(pid) {
  if (typeof pid !== 'number' || Math.round(pid) !== pid) throw new Error('Expected integer pid!');
  if (hasStarted) throw new Error('Can only monitor a single process!');
  hasStarted = true;
};

exports.exit = function exit(code) {
  process.exit(code || 0);
};
