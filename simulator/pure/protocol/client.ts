// Messages a page sends to its lab over the WebSocket. Each is a strict object tagged by `type`.
import { z } from 'zod';
import { HOST_COMMANDS, type HostCommandType } from '../machines/host.events';
import { consoleDataSchema, hostIdSchema, seqSchema } from './common';

/**
 * Commands an edge host's VM accepts: the host chart's list (one list, so a new command cannot
 * reach the chart without the protocol, or the other way round). Commands aimed at the lab are
 * the lab chart's events and are only checked for shape here.
 */
export { HOST_COMMANDS };
export type HostCommand = HostCommandType;
const HOST_COMMAND_SET: ReadonlySet<string> = new Set(HOST_COMMANDS);
export function isHostCommand(name: string): name is HostCommand {
  return HOST_COMMAND_SET.has(name);
}

export const commandTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('host'), hostId: hostIdSchema }),
  z.strictObject({ kind: z.literal('lab') }),
]);
export type CommandTarget = z.infer<typeof commandTargetSchema>;

export const helloSchema = z.strictObject({
  type: z.literal('hello'),
  /** Must equal PROTOCOL_VERSION, or the server answers `error` with code version-mismatch. */
  version: z.number().int(),
  /** The last seq this page has seen: the server replays every later event (reconnect). */
  since: seqSchema.optional(),
});

export const commandSchema = z
  .strictObject({
    type: z.literal('command'),
    /** Chosen by the page, unique among its pending commands; echoed in `command.result`. */
    id: z.string().min(1).max(64),
    target: commandTargetSchema,
    /** UPPER_SNAKE_CASE; for a host target, one of HOST_COMMANDS. */
    name: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, { error: 'a command name is UPPER_SNAKE_CASE, e.g. POWER_ON' }),
    /** e.g. INSERT_USB {image: "installer.iso"}. */
    args: z.record(z.string(), z.json()).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.target.kind === 'host' && !isHostCommand(c.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        input: c.name,
        message: `${c.name} is not a host command; use one of ${HOST_COMMANDS.join(', ')}`,
      });
    }
  });

export const consoleInputSchema = z.strictObject({
  type: z.literal('console.input'),
  hostId: hostIdSchema,
  /** Bytes typed into the host's serial console, base64. */
  data: consoleDataSchema,
});

/** Start receiving a host's console: the server sends `console.history`, then `console.output`. */
export const consoleAttachSchema = z.strictObject({ type: z.literal('console.attach'), hostId: hostIdSchema });
/** Stop receiving a host's console. Detaching a console that is not attached is not an error. */
export const consoleDetachSchema = z.strictObject({ type: z.literal('console.detach'), hostId: hostIdSchema });
export const pingSchema = z.strictObject({ type: z.literal('ping') });

/** The schema for each message type, for dispatch by `type`; must list exactly the union's members. */
export const CLIENT_MESSAGE_SCHEMAS = {
  hello: helloSchema,
  command: commandSchema,
  'console.input': consoleInputSchema,
  'console.attach': consoleAttachSchema,
  'console.detach': consoleDetachSchema,
  ping: pingSchema,
} as const satisfies Record<ClientMessageType, z.ZodType>;

export const clientMessageSchema = z.discriminatedUnion('type', [
  helloSchema,
  commandSchema,
  consoleInputSchema,
  consoleAttachSchema,
  consoleDetachSchema,
  pingSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
