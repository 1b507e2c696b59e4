/**
 * Where the VM suite's leftover check (vm-global-setup.ts) writes what it found: vitest reports
 * a failing global teardown without failing the run, so `edge-lab test` reads this file after
 * vitest and fails on a non-empty report. Kept free of other imports: the CLI loads it.
 */
export const LEFTOVER_REPORT_ENV = 'EDGE_LAB_LEFTOVER_REPORT';
