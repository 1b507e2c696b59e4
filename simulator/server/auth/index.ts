// Who may reach a lab: signed lab tokens, the Origin check, and both combined for a request
// under /labs/<labId>/… (guideline 8 in shared/guides/model-codebases.md). Node only.
export * from './admit';
export * from './origin';
export * from './token';
