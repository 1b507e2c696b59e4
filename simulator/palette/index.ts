// The simulated Palette, effects side: createPalette (palette.ts) and its two HTTP faces, the
// page API (http/page-http.ts, documented in http-api.md) and the edge agents' endpoint
// (http/agent-http.ts, documented in ../palette-api.md).
export * from './palette';
export { createPaletteHttp, MAX_PAGE_BODY_BYTES } from './http/page-http';
export { createAgentHttp, MAX_AGENT_BODY_BYTES, type AgentHttpOptions } from './http/agent-http';
export { listenAgent, MAX_AGENT_CONNECTIONS, type AgentListener, type AgentListenerOptions } from './http/agent-listener';
