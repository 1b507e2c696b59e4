/**
 * The other machines on a lab's LAN: the site's time server, and the machines
 * of the VIP clash drill. Each is a LanDevice plugged into the lab's hub.
 * - The time server (NTP at timeServerAddress, the lab machine's clock) is on
 *   unless switched off (the clock drill); only "off" is stored, so a lab reset
 *   puts it back on and a restarted simulator keeps it off.
 * - A stranger machine is a document in the lab's store, so a restarted
 *   simulator plugs it in again and a lab reset takes it away. Adding one is
 *   checked against the LAN's plan (pure/lan/lan-devices.ts) and refused with
 *   the reason; nothing is plugged in then.
 */
import { deviceAddressProblem, deviceMac, timeServerAddress, type LanDeviceRecord, type LanPlan } from '../pure/lan/lan-devices';
import type { LabStore } from '../store/types';
import { LanDevice } from '../vm/lan-device';
import type { LanSegment } from '../vm/lan-hub';
import { ntpServe } from '../vm/lan-ntp';

export const LAN_DEVICE_KIND = 'lan-device';
/** The document `off` of this kind says the time server is switched off. */
export const TIME_SERVER_KIND = 'lan-time-server';
const TIME_SERVER_OFF = 'off';

export type LanChange =
  | { change: 'added' | 'removed'; ip: string; mac: string }
  | { change: 'time-server-on' | 'time-server-off'; ip: string; mac: string };

/** The site's time server as the page shows it. */
export interface TimeServerState { ip: string; mac: string; on: boolean }

export interface LabLanDeps {
  store: LabStore;
  labId: string;
  lan: LanSegment;
  plan: LanPlan;
  /** The lab's clock (Unix ms): the records' times, and the time the time server serves. */
  now: () => number;
  /** Told after each change is stored (e.g. to log it in the lab's event log). */
  onChange?: (c: LanChange) => Promise<void>;
}

export type AddDeviceResult = { ok: true; device: LanDeviceRecord } | { ok: false; code: 'invalid' | 'conflict'; message: string };

export class LabLan {
  private readonly live = new Map<string, LanDevice>();
  private clock: LanDevice | null = null;

  private constructor(private readonly d: LabLanDeps) {}

  /** The LAN's devices as stored, plugged in again; the time server unless it was switched off. */
  static async open(d: LabLanDeps): Promise<LabLan> {
    const lan = new LabLan(d);
    for (const rec of await lan.devices()) lan.plug(rec);
    if ((await lan.timeServer()).on) lan.plugTimeServer();
    return lan;
  }

  async timeServer(): Promise<TimeServerState> {
    const ip = timeServerAddress(this.d.plan.cidr);
    const off = await this.d.store.get(this.d.labId, TIME_SERVER_KIND, TIME_SERVER_OFF);
    return { ip, mac: deviceMac(ip), on: !off };
  }

  /** Switches the site's time server on or off; says what it is now. */
  async setTimeServer(on: boolean): Promise<TimeServerState> {
    const was = await this.timeServer();
    if (was.on === on) return was;
    if (on) {
      await this.d.store.remove(this.d.labId, TIME_SERVER_KIND, TIME_SERVER_OFF);
      this.plugTimeServer();
    } else {
      await this.d.store.put(this.d.labId, TIME_SERVER_KIND, TIME_SERVER_OFF, { at: this.d.now() });
      this.clock?.remove();
      this.clock = null;
    }
    await this.d.onChange?.({ change: on ? 'time-server-on' : 'time-server-off', ip: was.ip, mac: was.mac });
    return { ...was, on };
  }

  async devices(): Promise<LanDeviceRecord[]> {
    const docs = await this.d.store.list<LanDeviceRecord>(this.d.labId, LAN_DEVICE_KIND);
    return docs.map((x) => x.doc).sort((a, b) => a.addedAt - b.addedAt);
  }

  /** Plugs a device holding `ip` into the LAN, or says why not. */
  async add(ip: unknown): Promise<AddDeviceResult> {
    const problem = deviceAddressProblem(ip, this.d.plan, await this.devices());
    if (problem) return { ok: false, code: problem.code, message: `[lab] ${problem.message}` };
    const address = ip as string;
    const device: LanDeviceRecord = { ip: address, mac: deviceMac(address), addedAt: this.d.now() };
    await this.d.store.put(this.d.labId, LAN_DEVICE_KIND, address, device);
    this.plug(device);
    await this.d.onChange?.({ change: 'added', ip: device.ip, mac: device.mac });
    return { ok: true, device };
  }

  /** Takes the device at `ip` off the LAN; false if there is none. */
  async remove(ip: string): Promise<boolean> {
    const doc = await this.d.store.get<LanDeviceRecord>(this.d.labId, LAN_DEVICE_KIND, ip);
    if (!doc) return false;
    await this.d.store.remove(this.d.labId, LAN_DEVICE_KIND, ip);
    this.live.get(ip)?.remove();
    this.live.delete(ip);
    await this.d.onChange?.({ change: 'removed', ip, mac: doc.doc.mac });
    return true;
  }

  /** Every stranger device off the LAN and out of the store, the time server on (a lab reset). */
  async clear(): Promise<void> {
    for (const d of await this.devices()) await this.d.store.remove(this.d.labId, LAN_DEVICE_KIND, d.ip);
    await this.d.store.remove(this.d.labId, TIME_SERVER_KIND, TIME_SERVER_OFF);
    this.unplugAll();
    this.plugTimeServer();
  }

  /** Unplugs every device; the store keeps them for the next open. */
  close(): void {
    this.unplugAll();
  }

  private plug(rec: LanDeviceRecord): void {
    this.live.get(rec.ip)?.remove();
    this.live.set(rec.ip, new LanDevice(this.d.lan, `device ${rec.ip}`, { ip: rec.ip, mac: rec.mac }));
  }

  private plugTimeServer(): void {
    const ip = timeServerAddress(this.d.plan.cidr);
    const mac = deviceMac(ip);
    this.clock?.remove();
    // It announces itself once, when plugged in, as a server does at boot; NTP answers use the lab's clock.
    this.clock = new LanDevice(this.d.lan, `time server ${ip}`, { ip, mac, announceMs: null, serve: ntpServe(ip, mac, this.d.now) });
  }

  private unplugAll(): void {
    for (const dev of this.live.values()) dev.remove();
    this.live.clear();
    this.clock?.remove();
    this.clock = null;
  }
}
