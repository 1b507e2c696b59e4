/**
 * The learners of `room_30_joins_s`, run inside the benchmark's network namespace (another
 * computer, as far as the lab server can tell): each joins the class by its public URL, opens its
 * lab's socket, and has its host answer a command on its console. Prints one JSON line: each
 * learner's milliseconds from the first join to its live lab and to its host's answer, or its error.
 *
 *   ip netns exec <ns> tsx bench/room-learners.ts '{"apiUrl":…,"origin":…,"classId":…,"code":…,"count":30,"spreadMs":10000,"host":"edge-host-1"}'
 */
import { LabClient, type OpenedLab } from '../simulator/scenarios/lab-client';

interface Args { apiUrl: string; origin: string; classId: string; code: string; count: number; spreadMs: number; host: string }
export interface LearnerResult { i: number; labId?: string; warm?: boolean; startedMs?: number; liveMs?: number; answeredMs?: number; error?: string }

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const t0 = performance.now();

async function learner(i: number): Promise<LearnerResult> {
  await new Promise((r) => setTimeout(r, (i * args.spreadMs) / args.count));
  let client: LabClient | undefined;
  const startedMs = performance.now() - t0;
  try {
    const res = await fetch(`${args.apiUrl}/classes/${args.classId}/join`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: args.origin }, body: JSON.stringify({ code: args.code, learner: `learner-${i}` }),
    });
    const opened = (await res.json()) as OpenedLab & { message?: string; warm?: boolean };
    if (res.status !== 201) return { i, error: `join ${res.status}: ${opened.message ?? ''}` };
    client = new LabClient(args.apiUrl, opened);
    await client.connect();
    const liveMs = performance.now() - t0;
    const out = await client.run(args.host, `echo room-ok-$((${i}+1000))`, 120_000);
    if (!out.includes(`room-ok-${i + 1000}`)) return { i, labId: opened.labId, liveMs, error: `the console did not echo: ${out.slice(-200)}` };
    return { i, labId: opened.labId, warm: opened.warm === true, startedMs, liveMs, answeredMs: performance.now() - t0 };
  } catch (err) {
    return { i, error: err instanceof Error ? err.message : String(err) };
  } finally {
    client?.close();
  }
}

const results = await Promise.all(Array.from({ length: args.count }, (_, i) => learner(i)));
process.stdout.write(`${JSON.stringify(results)}\n`);
