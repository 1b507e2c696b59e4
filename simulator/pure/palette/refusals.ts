// The refusal codes of the simulated Palette's agent endpoint (simulator/palette-api.md, "Refusal
// codes"), defined once: the server answers with them, the host chart and the page explain them.

/** Why Palette refuses a registration on its merits (pure/palette/registration.ts decides). */
export const REGISTRATION_CODES = ['token-unknown', 'token-expired', 'project-missing', 'project-unknown', 'duplicate-host-id'] as const;
export type RegistrationCode = (typeof REGISTRATION_CODES)[number];

/** What ends a registration attempt: its merits, or a lab full of hosts. */
export const REGISTRATION_REFUSAL_CODES = [...REGISTRATION_CODES, 'host-limit'] as const;
export type RegistrationRefusalCode = (typeof REGISTRATION_REFUSAL_CODES)[number];

/** Every refusal the agent endpoint answers: registration's, and those of a registered host's calls. */
export const AGENT_REFUSAL_CODES = [...REGISTRATION_REFUSAL_CODES, 'host-unknown', 'host-credential', 'not-assigned'] as const;
export type AgentRefusalCode = (typeof AGENT_REFUSAL_CODES)[number];
