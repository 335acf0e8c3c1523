// Mocha's spec output, then the closing `N passed, N failed` line CI reads, and the counts as JSON for test-all.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Counts of one mocha run, as written to the file named by $PLAYBOOK_TEST_RESULTS. */
interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Used as `--reporter out/test/support/counting-reporter.js` by the unit run and directly by in-host suites. */
class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    // Registered after Spec's own listener, so the line comes after its epilogue and the stats are final.
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const counts = { passed: this.stats.passes, failed: this.stats.failures, skipped: this.stats.pending };
      console.log(summaryLine(counts));
      writeCounts(counts, process.env.PLAYBOOK_TEST_RESULTS);
    });
  }
}

function summaryLine({ passed, failed, skipped }: Counts): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

function writeCounts(counts: Counts, file: string | undefined): void {
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(counts)}\n`);
}

export = CountingReporter;
