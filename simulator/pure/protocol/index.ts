// The lab WebSocket protocol, shared by the site's pages and the lab server (guideline 7 in
// shared/guides/model-codebases.md). Pure: imports only zod and other pure modules.
//
// Flow: page → hello {version, since?}; server → welcome, then `event`s after `since`, then a
// `view`; afterwards `event` and `view` on every lab change, `console.*` for attached hosts and
// `command.result` for each command. A frame that fails to parse gets an `error` reply.
export * from './base64';
export * from './client';
export * from './common';
export * from './parse';
export * from './server';
export * from './close-codes';
export * from './http-answers';
export * from './http-answer';
export * from './http-routes';
export * from './palette-events';
