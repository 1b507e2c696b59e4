// Messages a lab sends to a page over the WebSocket. Each is a strict object tagged by `type`.
import { z } from 'zod';
import {
  codeSchema, consoleDataSchema, consoleOffsetSchema, hostIdSchema, labEventSchema, labIdSchema,
  labRoleSchema, labViewSchema, seqSchema, timestampSchema,
} from './common';

/** The answer to `hello`. `seq` is the lab log's last seq at that moment. */
export const welcomeSchema = z.strictObject({
  type: z.literal('welcome'),
  version: z.number().int(),
  labId: labIdSchema,
  role: labRoleSchema,
  seq: seqSchema,
});

/** One lab log entry, sent only after it was appended to the log under `seq`. */
export const eventSchema = z.strictObject({
  type: z.literal('event'),
  seq: seqSchema,
  at: timestampSchema,
  event: labEventSchema,
});

/** The whole lab view, sent after `welcome` and on every change; `seq` is the log position it reflects. */
export const viewSchema = z.strictObject({
  type: z.literal('view'),
  seq: seqSchema,
  lab: labViewSchema,
});

/** Live console bytes from an attached host; `offset` is the byte offset of the chunk's first byte. */
export const consoleOutputSchema = z.strictObject({
  type: z.literal('console.output'),
  hostId: hostIdSchema,
  data: consoleDataSchema,
  offset: consoleOffsetSchema,
});

/** The retained tail of a host's console, sent on attach; live output continues after it. */
export const consoleHistorySchema = z.strictObject({
  type: z.literal('console.history'),
  hostId: hostIdSchema,
  data: consoleDataSchema,
  offset: consoleOffsetSchema,
});

const problemSchema = z.strictObject({ code: codeSchema, message: z.string() });

/** The outcome of the `command` with the same `id`: `error` is present exactly when `ok` is false. */
export const commandResultSchema = z
  .strictObject({
    type: z.literal('command.result'),
    id: z.string().min(1).max(64),
    ok: z.boolean(),
    error: problemSchema.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.ok === (r.error !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        input: r.error,
        message: r.ok ? 'must be absent when ok is true' : 'is required when ok is false',
      });
    }
  });

/** A problem with the connection or a frame, not tied to a command (e.g. bad-message). */
export const errorSchema = z.strictObject({ type: z.literal('error'), code: codeSchema, message: z.string() });
export const pongSchema = z.strictObject({ type: z.literal('pong') });

/** The schema for each message type, for dispatch by `type`; must list exactly the union's members. */
export const SERVER_MESSAGE_SCHEMAS = {
  welcome: welcomeSchema,
  event: eventSchema,
  view: viewSchema,
  'console.output': consoleOutputSchema,
  'console.history': consoleHistorySchema,
  'command.result': commandResultSchema,
  error: errorSchema,
  pong: pongSchema,
} as const satisfies Record<ServerMessageType, z.ZodType>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  welcomeSchema,
  eventSchema,
  viewSchema,
  consoleOutputSchema,
  consoleHistorySchema,
  commandResultSchema,
  errorSchema,
  pongSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
