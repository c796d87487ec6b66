// For `OTQ_FAKE_DATE=… ./test.sh` (README "Tests"): the moved wall clock really reached this Node process, so a
// green run under it means the suite does not depend on the day. Outside such a run there is nothing to check.
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('the moved wall clock reaches the Node suites', () => {
  const expected = process.env.OTQ_EXPECT_WALL_YEAR;
  if (expected) { assert.equal(new Date().getUTCFullYear(), Number(expected)); }
});
