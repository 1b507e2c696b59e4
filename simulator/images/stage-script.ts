import { shellQuote, type UserData } from '../pure/user-data';

/**
 * The user-data stages the lab runs, in the order the provider OS's cluster
 * service asks for them (after the reboot into the provider OS, once the
 * network is up). Other stages are kept in COS_OEM as written but not run.
 */
export const RUN_STAGES = ['boot.before', 'boot', 'boot.after', 'network.before', 'network', 'network.after'] as const;

/** Step keys the compiled script carries out; any other key of a step is named as not applied. */
const RUN_KEYS = new Set(['name', 'if', 'commands']);

/**
 * Compiles the `commands` of the {@link RUN_STAGES} into a busybox-ash script
 * (`user-data-stages.sh STAGE…`) that forge puts on the stick and the
 * installer copies to COS_OEM. Like yip, every command runs in its own
 * `sh -c`, a failing command does not stop the next one, and a step with
 * `if:` runs only when that shell test succeeds. Steps named `skip-copy-*`
 * are left out: they are not copied onto the host. Keys other than `name`,
 * `if` and `commands` are not applied, and the script says so when it runs.
 */
export function compileStageScript(data: UserData): string {
  const out = [
    '#!/bin/sh',
    '# The commands of the user-data stages boot and network (with .before/.after),',
    '# compiled by edge-lab forge (simulator/images/stage-script.ts); do not edit.',
    '# Usage: sh user-data-stages.sh STAGE…  Exit status: the number of failed commands.',
    'failures=0',
    'run() { # WHERE COMMAND',
    '  sh -c "$2" || { echo "stages: $1: command failed (exit $?): $2"; failures=$((failures + 1)); }',
    '}',
    'for stage in "$@"; do',
    '  case "$stage" in',
  ];
  for (const stage of RUN_STAGES) {
    const steps = (data.stages?.[stage] ?? []).filter((s) => !(s.name ?? '').startsWith('skip-copy-'));
    if (!steps.length) continue;
    out.push(`    ${stage})`);
    for (const [i, step] of steps.entries()) {
      const where = `${stage}, step ${i + 1}${step.name ? ` (${step.name})` : ''}`;
      const say = (text: string): string => `echo ${shellQuote(`stages: ${where}: ${text}`)}`;
      const commands = step.commands ?? [];
      const ignored = Object.keys(step).filter((k) => !RUN_KEYS.has(k));
      const body: string[] = [];
      if (ignored.length) body.push(say(`the lab runs only commands; not applied: ${ignored.join(', ')}`));
      for (const c of commands) body.push(`run ${shellQuote(where)} ${shellQuote(c)}`);
      if (commands.length) body.push(say(`${commands.length} command${commands.length === 1 ? '' : 's'} run`));
      if (!body.length) continue;
      if (step.if) {
        out.push(`      if sh -c ${shellQuote(step.if)} >/dev/null 2>&1; then`, ...body.map((l) => `        ${l}`),
          `      else ${say('skipped (its if: is false)')}; fi`);
      } else {
        out.push(...body.map((l) => `      ${l}`));
      }
    }
    out.push('      ;;');
  }
  out.push('  esac', 'done', '[ "$failures" -gt 125 ] && failures=125', 'exit "$failures"', '');
  return out.join('\n');
}
