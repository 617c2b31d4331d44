// How a device script tells NodeSdkIT what happened: one JSON line per step on stdout; an error ends the script.
'use strict';
function report(step, data) {
  console.log(JSON.stringify(Object.assign({ step }, data || {})));
}

function fail(during, err) {
  report('error', { during, message: String((err && err.message) || err) });
  process.exit(1);
}

// The whole flow has 60 s, as the test waits for each step.
function failAfter60s() {
  setTimeout(() => fail('the whole flow', 'not done within 60 s'), 60000).unref();
}

module.exports = { report, fail, failAfter60s };
