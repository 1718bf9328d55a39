// Package browsertest holds the end-to-end tests of Lotse in a real headless
// browser: Chromium, driven through the DevTools protocol with chromedp,
// against a real server on a real database with the demo data. The tests
// walk through the pages as a person would, with mouse and keyboard, check
// the pages with axe-core for WCAG 2.1 AA problems, and write screenshots to
// $LOTSE_ARTIFACTS (else to lotse-artifacts in the system's temporary
// folder).
//
// Chromium is found at $LOTSE_CHROMIUM, else /usr/bin/chromium; without it
// the tests are skipped with a message.
package browsertest
