/** The lab's statecharts and their views; see README.md beside this file. */
export { hostMachine, type HostMachine } from './host.machine';
export { initialHostContext, recordFact, type HostContext, type HostFault, type HostInput } from './host.context';
export * from './host.events';
export { hostHint, HOST_STATE_LABELS, REFUSAL_HINTS } from './host.labels';
export * from './cluster.machine';
export * from './lab.machine';
export * from './lab.steps';
export * from './provisioning';
export * from './view';
export { leafPaths } from './state-paths';
export { toProtocolLabView } from './protocol-view';
export * from './lab-log';
export * from './lab-notices';
