// The shapes the lab server's class endpoints answer with, as the class dashboard reads them: all
// from the contract (simulator/pure/protocol/http-answers.ts and http-routes.ts).
export type { ClassInfo, DrillResult, JumpPhase, JumpResult, LabSummary } from '../../../simulator/pure/protocol/http-answers';
export type { OpenedClass, OpenedWalkthrough, ScenarioChoice, WarmPool } from '../../../simulator/pure/protocol/http-routes';
