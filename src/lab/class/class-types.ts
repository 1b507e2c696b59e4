// The shapes the lab server's class endpoints answer with, as the class dashboard reads them: the
// shared ones come from the contract (simulator/pure/protocol/http-answers.ts).
export type { ClassInfo, JumpPhase, JumpResult, LabSummary } from '../../../simulator/pure/protocol/http-answers';

/** POST /classes → 201. The trainer secret and join code are shown once; the page keeps them. */
export interface OpenedClass {
  classId: string;
  name: string;
  scenario: string;
  trainerSecret: string;
  joinCode: string;
}

export interface WarmPool {
  target: number;
  ready: number;
}

/** One entry of GET /scenarios. */
export interface ScenarioChoice {
  name: string;
  title: string;
  summary?: string;
}
