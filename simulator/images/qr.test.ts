import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { qrModules, qrOnConsole, readQr } from '../testing/qr-reader';

// The guest's QR encoder (guest/os/qr.awk, for stylus.site.registrationURL), run with busybox awk
// as in the guest, and read back by an independent QR reader (jsQR) from a picture of its output.
const AWK = fileURLToPath(new URL('./guest/os/qr.awk', import.meta.url));

function qr(text: string, ascii = false): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const args = ['awk', '-v', `TEXT=${text}`, ...(ascii ? ['-v', 'ASCII=1'] : []), '-f', AWK];
    const p = spawn('/bin/busybox', args, { env: {} });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => resolve({ out, err: err.trim(), code }));
  });
}

const url = (n: number): string => {
  const base = 'http://127.0.0.1:3000/edge-registration?edgeHostId=edge-';
  return (base + 'abcdef0123456789'.repeat(20)).slice(0, n);
};

describe('qr.awk', () => {
  // Lengths that land in versions 1, 2, 4, 5 (two blocks), 6, 7 (version bits), 8, 9 and 10 (long blocks).
  it.each([10, 20, 60, 84, 100, 120, 150, 180, 213])('a %i-byte URL reads back exactly', async (n) => {
    const text = url(n);
    const drawn = await qr(text);
    expect(drawn).toMatchObject({ err: '', code: 0 });
    expect(readQr(qrModules(drawn.out.split('\n')))).toBe(text);
  });

  it('reads back from a console where another process printed an event between two rows', async () => {
    const text = url(60);
    const rows = (await qr(text)).out.split('\n').filter((l) => l.length > 0).map((l) => `${l}\r`);
    const mid = Math.floor(rows.length / 2);
    const screen = ['Scan to register this host:\r', ...rows.slice(0, mid), 'EDGE-EVENT power.watching t=4.36\r', ...rows.slice(mid), `  ${text}\r`].join('\n');
    expect(qrOnConsole(screen)).toBe(text);
    // Inside a row, where one of awk's writes ended.
    const cut = `${rows[mid]!.slice(0, 9)}EDGE-EVENT power.watching t=4.36\r\n${rows[mid]!.slice(9)}`;
    const cutScreen = screen.replace(`EDGE-EVENT power.watching t=4.36\r\n${rows[mid]}`, cut);
    expect(cutScreen).not.toBe(screen);
    expect(qrOnConsole(cutScreen)).toBe(text);
    // Any other line in the drawing still ends it: the code is then cut short and unreadable.
    expect(qrOnConsole(screen.replace('EDGE-EVENT power.watching', 'login: '))).toBeNull();
  });

  it('draws the same code one row per line with ASCII=1', async () => {
    const text = 'https://register.example.com/?edgeHostId=edge-host-2';
    const [half, ascii] = await Promise.all([qr(text), qr(text, true)]);
    const fromAscii = qrModules(ascii.out.split('\n'), true);
    expect(readQr(fromAscii)).toBe(text);
    // The half-block drawing holds the same modules (its last line has a bottom half that is no module).
    expect(qrModules(half.out.split('\n')).slice(0, fromAscii.length)).toEqual(fromAscii);
  });

  it('refuses text a version-10 code cannot hold, and empty text, saying why', async () => {
    expect(await qr(url(213) + 'x')).toMatchObject({ out: '', code: 2, err: 'qr: 214 bytes is more than a version-10 code holds (213)' });
    expect(await qr('')).toMatchObject({ out: '', code: 2, err: 'qr: no text to encode' });
  });
});
