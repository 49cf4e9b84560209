/** The fixed clock of the integration and e2e suites: Tuesday 1 December 2026, 09.00 WIB. */
export const TEST_NOW_ISO = "2026-12-01T09:00:00+07:00";
export const TEST_NOW = Date.parse(TEST_NOW_ISO);
export const DEMO_PASSWORD = "giliran-demo";
export const BUILD_DIR = process.env.BUILD_DIR ?? "build";
