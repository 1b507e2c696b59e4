import type { Metric } from '../context';
import { bareBootFloor } from './bare-boot-floor';
import { boot10Concurrent } from './boot-10-concurrent';
import { bootToAgentReady } from './boot-to-agent-ready';
import { checkpointRestore } from './checkpoint-restore';
import { consoleEcho } from './console-echo';
import { idleHostCpu } from './idle-host-cpu';
import { idleHostRss } from './idle-host-rss';
import { install } from './install';
import { guidedSingleNode } from './guided-single-node';
import { pageFirstContentfulPaint } from './page-fcp';
import { apiRequestsPerSecond } from './api-requests';
import { healthzUnderFlood } from './healthz-under-flood';
import { fuzzCasesPerSecond } from './fuzz-cases';
import { scenarioSingleNode } from './scenario-single-node';
import { wsEventLatency } from './ws-event-latency';
import { wsFanout } from './ws-fanout';
import { checkpointJump3Hosts } from './checkpoint-jump';
import { warmLabReady } from './warm-lab-ready';
import { labsPerMachine } from './labs-per-machine';
import { roomJoin } from './room-join';
import { room30Joins } from './room-30-joins';
import { restartToLive } from './restart-to-live';
import { chaosFaultsSurvived, chaosLost, chaosStuck } from './chaos';
import { haScenario, quorumRecovery, vipFailover } from './ha';
import { rollingUpgradeS } from './upgrade';

/** Every metric, in the order they run and appear in the report. */
export const METRICS: readonly Metric[] = [
  bareBootFloor,
  bootToAgentReady,
  install,
  checkpointRestore,
  idleHostRss,
  idleHostCpu,
  boot10Concurrent,
  scenarioSingleNode,
  wsEventLatency,
  wsFanout,
  apiRequestsPerSecond,
  healthzUnderFlood,
  fuzzCasesPerSecond,
  pageFirstContentfulPaint,
  consoleEcho,
  guidedSingleNode,
  checkpointJump3Hosts,
  haScenario,
  vipFailover,
  quorumRecovery,
  rollingUpgradeS,
  warmLabReady,
  roomJoin,
  room30Joins,
  labsPerMachine,
  restartToLive,
  chaosFaultsSurvived,
  chaosStuck,
  chaosLost,
];
