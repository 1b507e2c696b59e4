// Public API of the user-data module (pure: imports only `yaml` and `zod`; safe for the browser).
export { validateUserData, formatUserDataIssues, CLOUD_CONFIG_HEADER } from './validate';
export type { UserDataIssue, UserDataResult } from './validate';
export { compileAgentEnv, compileSiteOverrides, shellQuote, nicEnvId, DEFAULT_DEVICE_UID_PATH } from './compile';
export { userDataSchema, KAIROS_STAGES, STAGE_KEYS } from './schema';
export type { UserData } from './schema';
export { didYouMean, editDistance } from './did-you-mean';
