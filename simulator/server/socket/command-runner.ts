// The page's commands on one connection: each runs on the channel with the session's role and is
// answered by one `command.result` with its id. Commands run concurrently; ids must be unique
// among the pending ones.
import { codeSchema, type ClientMessage, type LabRole, type ServerMessage } from '../../pure/protocol';
import { LabChannelError, type LabChannel } from '../../labs/channel-contract';

export const MAX_PENDING_COMMANDS = 32;

type CommandMessage = Extract<ClientMessage, { type: 'command' }>;
type Outcome = Awaited<ReturnType<LabChannel['command']>>;

export class CommandRunner {
  private readonly pending = new Set<string>();

  constructor(
    private readonly channel: LabChannel,
    private readonly role: LabRole,
    private readonly send: (msg: ServerMessage) => boolean,
    /** Failures of the lab, for the server log; the page gets a generic result. */
    private readonly report: (err: unknown, what: string) => void,
  ) {}

  /** Runs the command and sends its result; never rejects. */
  async run(msg: CommandMessage): Promise<void> {
    if (this.pending.has(msg.id)) {
      this.send({ type: 'error', code: 'duplicate-command-id', message: `[lab-socket] command ${JSON.stringify(msg.id)} is still pending; give each command a fresh id` });
      return;
    }
    if (this.pending.size >= MAX_PENDING_COMMANDS) {
      this.sendResult(msg.id, { ok: false, code: 'too-many-commands', message: `[lab-socket] ${MAX_PENDING_COMMANDS} commands are already pending; wait for their results` });
      return;
    }
    this.pending.add(msg.id);
    let outcome: Outcome;
    try {
      outcome = await this.channel.command({ target: msg.target, name: msg.name, ...(msg.args ? { args: msg.args } : {}), role: this.role });
    } catch (err) {
      if (err instanceof LabChannelError) {
        outcome = { ok: false, code: err.code, message: err.message };
      } else {
        this.report(err, `command ${msg.name} failed`);
        outcome = { ok: false, code: 'command-failed', message: `[lab-socket] the lab failed to carry out ${msg.name}; see the lab server's log` };
      }
    } finally {
      this.pending.delete(msg.id);
    }
    this.sendResult(msg.id, outcome);
  }

  private sendResult(id: string, outcome: Outcome): void {
    if (outcome.ok) return void this.send({ type: 'command.result', id, ok: true });
    let { code } = outcome;
    if (!codeSchema.safeParse(code).success) {
      this.report(undefined, `the lab answered a command with code ${JSON.stringify(code)}, which is not kebab-case`);
      code = 'command-refused';
    }
    this.send({ type: 'command.result', id, ok: false, error: { code, message: String(outcome.message) } });
  }
}
