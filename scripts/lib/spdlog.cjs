// A JavaScript stand-in for @vscode/spdlog, installed over that package's index.js in our code-server (see
// install-vscode.mjs). The real package is a C++ addon that npm builds with node-gyp, which needs a compiler,
// make and Python; code-server runs without it but then writes no log files at all (server, extension host,
// terminals), and output channels of extensions stay empty, since VS Code writes them through the same loggers.
// This implements the part of its API VS Code uses: rotating file loggers with levels, a pattern or none.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const LEVEL_NAMES = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'];
const OFF = 6;
let defaultLevel = 2;

class Logger {
  constructor(loggerType, name, filename, filesize, filecount) {
    this.filename = filename;
    this.maxSize = filesize > 0 ? filesize : Infinity;
    this.maxFiles = Math.max(0, filecount | 0);
    this.level = defaultLevel;
    this.formatted = true;
    this.size = fs.existsSync(filename) ? fs.statSync(filename).size : 0;
  }

  trace(message) {
    this.log(0, message);
  }
  debug(message) {
    this.log(1, message);
  }
  info(message) {
    this.log(2, message);
  }
  warn(message) {
    this.log(3, message);
  }
  error(message) {
    this.log(4, message);
  }
  critical(message) {
    this.log(5, message);
  }
  getLevel() {
    return this.level;
  }
  setLevel(level) {
    this.level = level;
  }
  /** VS Code sets one pattern, `%Y-%m-%d %H:%M:%S.%e [%l] %v`; that format is what this writes. */
  setPattern() {
    this.formatted = true;
  }
  clearFormatters() {
    this.formatted = false;
  }
  flush() {
    /* every line is written when logged */
  }
  drop() {
    this.level = OFF;
  }

  log(level, message) {
    if (level < this.level || this.level >= OFF) return;
    const line = `${this.formatted ? `${timestamp(new Date())} [${LEVEL_NAMES[level]}] ` : ''}${message}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxSize) this.rotate();
    try {
      fs.appendFileSync(this.filename, line);
      this.size += bytes;
    } catch {
      // A log line that cannot be written must not break the program that logs it.
    }
  }

  /** Like spdlog's rotating file sink: file → file.1 → … → file.N, the oldest dropped. */
  rotate() {
    const { dir, name, ext } = path.parse(this.filename);
    const numbered = (n) => (n === 0 ? this.filename : path.join(dir, `${name}.${n}${ext}`));
    try {
      if (this.maxFiles === 0) fs.rmSync(this.filename, { force: true });
      for (let n = this.maxFiles - 1; n >= 0; n--) {
        if (fs.existsSync(numbered(n))) fs.renameSync(numbered(n), numbered(n + 1));
      }
    } catch {
      /* keep appending to the current file */
    }
    this.size = 0;
  }
}

function timestamp(date) {
  const pad = (value, width = 2) => String(value).padStart(width, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
  );
}

async function createLogger(loggerType, name, filepath, maxFileSize, maxFiles) {
  await fs.promises.mkdir(path.dirname(filepath), { recursive: true });
  return new Logger(loggerType, name, filepath, maxFileSize, maxFiles);
}

exports.version = 11100;
exports.setLevel = (level) => {
  defaultLevel = level;
};
exports.setFlushOn = () => {
  /* every line is written when logged */
};
exports.Logger = Logger;
exports.createRotatingLogger = (name, filepath, maxFileSize, maxFiles) => createLogger('rotating', name, filepath, maxFileSize, maxFiles);
exports.createAsyncRotatingLogger = (name, filepath, maxFileSize, maxFiles) =>
  createLogger('rotating_async', name, filepath, maxFileSize, maxFiles);
