import * as assert from 'node:assert/strict';
import { DEFAULT_OUTPUT_LIMIT, OutputCapture, stripAnsi } from '../../../src/run/output';

describe('output capture', () => {
  it('keeps everything under the limit', () => {
    const capture = new OutputCapture(100);
    capture.write('hello ');
    capture.write(Buffer.from('world'));
    assert.deepEqual(capture.result(), { text: 'hello world', totalBytes: 11, omittedBytes: 0 });
  });

  it('keeps the head and the tail and says how much was omitted', () => {
    const capture = new OutputCapture(10);
    capture.write('0123456789');
    capture.write('abcdefghij');
    assert.deepEqual(capture.result(), { text: '01234\n… 10 bytes omitted …\nfghij', totalBytes: 20, omittedBytes: 10 });
  });

  it('keeps the tail right across many small chunks', () => {
    const capture = new OutputCapture(6);
    for (const ch of 'abcdefghijklmnop') capture.write(ch);
    assert.equal(capture.result().text, 'abc\n… 10 bytes omitted …\nnop');
  });

  it('does not cut a multi-byte character in two', () => {
    const capture = new OutputCapture(6);
    capture.write('aé€xyz€b');
    const result = capture.result();
    assert.equal(result.text, 'aé\n… 9 bytes omitted …\nb');
    assert.equal(result.totalBytes, 13);
  });

  it('strips ANSI escapes from the record', () => {
    const capture = new OutputCapture();
    capture.write('\u001b[31mred\u001b[0m ok');
    assert.equal(capture.result().text, 'red ok');
  });

  it('defaults to 1 MB and falls back to it for a nonsense limit', () => {
    assert.equal(DEFAULT_OUTPUT_LIMIT, 1048576);
    const capture = new OutputCapture(-1);
    capture.write('x'.repeat(2000));
    assert.equal(capture.result().omittedBytes, 0);
  });

  it('bounds memory for a single huge chunk', () => {
    const capture = new OutputCapture(8);
    capture.write('h'.repeat(4) + 'm'.repeat(100_000) + 't'.repeat(4));
    assert.deepEqual(capture.result(), { text: 'hhhh\n… 100000 bytes omitted …\ntttt', totalBytes: 100_008, omittedBytes: 100_000 });
  });
});

describe('ANSI stripping', () => {
  const cases: [string, string][] = [
    ['\u001b[1;32mOK\u001b[0m', 'OK'],
    ['\u001b[2K\u001b[1Gprogress', 'progress'],
    ['\u001b]0;title\u0007text', 'text'],
    ['\u001b]633;C\u0007out\u001b]633;D;0\u0007', 'out'],
    ['\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['\u001b[?25lhidden cursor\u001b[?25h', 'hidden cursor'],
    ['plain [31m text', 'plain [31m text'],
  ];
  for (const [input, output] of cases) {
    it(`reduces ${JSON.stringify(input)} to ${JSON.stringify(output)}`, () => assert.equal(stripAnsi(input), output));
  }
});
