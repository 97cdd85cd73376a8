// Prints CI's closing line from Vitest JSON reports plus the pass/fail count of the non-test gates.
import { readFileSync } from 'node:fs';

const [gatesPassed, gatesFailed, ...reports] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of reports) {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // A suite that fails to load has no test results but must still count as a failure.
    failed += (r.testResults ?? []).filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  } catch {
    failed += 1;
  }
}
const total = failed + Number(gatesFailed);
console.log(`${passed + Number(gatesPassed)} passed, ${total} failed`);
process.exit(total > 0 ? 1 : 0);
