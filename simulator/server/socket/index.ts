// The lab WebSocket endpoint: /labs/<labId>/socket, admitted by ../auth, speaking pure/protocol to
// a LabChannel that the lab runtime implements. Node only.
export { LAB_SOCKET_CLOSE, MAX_CLOSE_REASON_BYTES, closeReason, type LabSocketCloseCode } from '../../pure/protocol/close-codes';
export * from '../../labs/channel-contract';
export * from './lab-socket';
export * from './upgrade';
