// The browser-side lab client: a session (open or resume a lab, keep a token), a connection (the
// lab WebSocket: view, events, commands, consoles), a Lab combining both, and React hooks.
export { Backoff, type BackoffOptions } from './backoff';
export {
  DEFAULT_MAX_EVENTS, LabConnection,
  type CommandArgs, type ConnectionProblem, type LabConnectionOptions, type LabConnectionSnapshot, type LabConnectionStatus, type SeqEvent,
} from './connection';
export { ConsoleBuffer, consoleText, DEFAULT_MAX_CONSOLE_BYTES, type ConsoleGap, type ConsoleSnapshot } from './console-buffer';
export type { Unsubscribe } from './emitter';
export { LabClientError, LabCommandRefused } from './errors';
export { encodeClientFrame } from './frames';
export { connectingSnapshot, LabProvider, useHostConsole, useLab, useLabCommand, useLabContext, useLabState, useLabView } from './hooks';
export { Lab, type LabOptions, type LabSnapshot } from './lab';
export type { FetchLike } from './lab-http';
export { rememberedLabKey, type RememberedLab, type StorageLike } from './remembered-lab';
export {
  DEFAULT_SIMULATOR_URL, LabSession, TOKEN_REFRESH_MARGIN_MS,
  type LabSessionOptions, type LabSessionState, type LabTokenSource,
} from './session';
export type { WebSocketConstructor, WebSocketLike } from './socket-types';
