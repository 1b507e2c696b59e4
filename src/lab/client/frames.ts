// The only way client frames leave this client: `encodeClientFrame` turns a message into the text
// sent on the socket. In development it first checks the message against the protocol's client
// schema, so a malformed frame fails here with the field named, not as an `error` from the server.
import { clientMessageSchema, formatIssues, type ClientMessage } from '../../../simulator/pure/protocol';
import { LabClientError } from './errors';

/** True unless the bundler declared a production build; where `process` does not exist, checks run. */
function validating(): boolean {
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    return true;
  }
}

/** JSON text for `msg`; throws LabClientError (code `bad-frame`) when a development check fails. */
export function encodeClientFrame(msg: ClientMessage, validate: boolean = validating()): string {
  if (validate) {
    const parsed = clientMessageSchema.safeParse(msg);
    if (!parsed.success) {
      const type = typeof (msg as { type?: unknown }).type === 'string' ? msg.type : 'message';
      throw new LabClientError(`this page built a bad "${type}" frame: ${formatIssues(type, parsed.error.issues)}`, 'bad-frame');
    }
  }
  return JSON.stringify(msg);
}
