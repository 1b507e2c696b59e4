// The host consoles one connection has attached: `console.history` once per attach, then
// `console.output` for every later chunk, each at most MAX_CONSOLE_CHUNK_BYTES, with offsets that
// never overlap what the page already has.
import { bytesToBase64, MAX_CONSOLE_CHUNK_BYTES, type ServerMessage } from '../../pure/protocol';
import type { ConsoleTap, LabChannel } from '../../labs/channel-contract';

interface Attachment {
  tap: ConsoleTap | undefined;
  /** False once detached: late onData calls are ignored. */
  active: boolean;
}

export class ConsoleTaps {
  private readonly attached = new Map<string, Attachment>();

  constructor(
    private readonly channel: LabChannel,
    /** Sends one frame; false once the socket is closing. */
    private readonly send: (msg: ServerMessage) => boolean,
  ) {}

  /**
   * Attaches the host's console, replacing an earlier attachment of the same host (the page gets
   * a fresh history). Throws what LabChannel.attachConsole throws, with nothing attached then.
   */
  attach(hostId: string): void {
    this.detach(hostId);
    const attachment: Attachment = { tap: undefined, active: true };
    // Chunks delivered before the history went out (even during attachConsole) wait here.
    const early: { bytes: Uint8Array; offset: number }[] = [];
    let end: number | undefined;
    const tap = this.channel.attachConsole(hostId, (bytes, offset) => {
      if (!attachment.active) return;
      if (end === undefined) early.push({ bytes: bytes.slice(), offset });
      else end = this.output(hostId, bytes, offset, end);
    });
    attachment.tap = tap;
    this.attached.set(hostId, attachment);

    const first = tap.history.subarray(0, MAX_CONSOLE_CHUNK_BYTES);
    if (!this.send({ type: 'console.history', hostId, data: bytesToBase64(first), offset: tap.offset })) return;
    // A history above the chunk limit continues as output, so a page's "history replaces" stays right.
    let sent = this.output(hostId, tap.history.subarray(first.length), tap.offset + first.length, tap.offset + first.length);
    for (const chunk of early) sent = this.output(hostId, chunk.bytes, chunk.offset, sent);
    end = sent;
  }

  /** Stops the host's console. Detaching a console that is not attached does nothing. */
  detach(hostId: string): void {
    const attachment = this.attached.get(hostId);
    if (!attachment) return;
    attachment.active = false;
    this.attached.delete(hostId);
    attachment.tap?.detach();
  }

  detachAll(): void {
    for (const hostId of [...this.attached.keys()]) this.detach(hostId);
  }

  /**
   * Sends `bytes` found at `offset` in the console stream, skipping what lies before `end` (the
   * page has it already); returns the new end.
   */
  private output(hostId: string, bytes: Uint8Array, offset: number, end: number): number {
    if (offset < end) {
      const skip = end - offset;
      if (skip >= bytes.length) return end;
      bytes = bytes.subarray(skip);
      offset = end;
    }
    for (let i = 0; i < bytes.length; i += MAX_CONSOLE_CHUNK_BYTES) {
      const chunk = bytes.subarray(i, i + MAX_CONSOLE_CHUNK_BYTES);
      if (!this.send({ type: 'console.output', hostId, data: bytesToBase64(chunk), offset: offset + i })) break;
    }
    return offset + bytes.length;
  }
}
