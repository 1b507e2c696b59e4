// The lab WebSocket endpoint: /labs/<labId>/socket, admitted by ../auth, speaking pure/protocol to
// a LabChannel that the lab runtime implements. Node only.
export * from './close-codes';
export * from './lab-channel';
export * from './lab-socket';
export * from './upgrade';
