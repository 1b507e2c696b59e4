import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic and fakes (fast, parallel); `vm` boots real
// QEMU guests and runs one file at a time because TCG is CPU-bound on 2 cores.
// The browser end-to-end tests (src/e2e/*.vm.test.ts) open the built site in
// headless Chromium against a lab server with real VMs, so they are `vm` tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['simulator/**/*.test.ts', 'src/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.vm.test.ts', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'vm',
          include: ['simulator/**/*.vm.test.ts', 'src/e2e/**/*.vm.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['simulator/testing/vm-global-setup.ts'],
        },
      },
    ],
  },
});
