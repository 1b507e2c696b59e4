/**
 * The other machines on a lab's LAN (the VIP clash drill): each is a LanDevice
 * plugged into the lab's hub, and a document in the lab's store, so a restarted
 * simulator plugs it in again and a lab reset takes it away. Adding one is
 * checked against the LAN's plan (pure/lan/lan-devices.ts) and refused with
 * the reason; nothing is plugged in then.
 */
import { deviceAddressProblem, deviceMac, type LanDeviceRecord, type LanPlan } from '../pure/lan/lan-devices';
import type { LabStore } from '../store/types';
import { LanDevice } from '../vm/lan-device';
import type { LanSegment } from '../vm/lan-hub';

export const LAN_DEVICE_KIND = 'lan-device';

export type LanChange = { change: 'added' | 'removed'; ip: string; mac: string };

export interface LabLanDeps {
  store: LabStore;
  labId: string;
  lan: LanSegment;
  plan: LanPlan;
  now: () => number;
  /** Told after each change is stored (e.g. to log it in the lab's event log). */
  onChange?: (c: LanChange) => Promise<void>;
}

export type AddDeviceResult = { ok: true; device: LanDeviceRecord } | { ok: false; code: 'invalid' | 'conflict'; message: string };

export class LabLan {
  private readonly live = new Map<string, LanDevice>();

  private constructor(private readonly d: LabLanDeps) {}

  /** The LAN's devices as stored, plugged in again. */
  static async open(d: LabLanDeps): Promise<LabLan> {
    const lan = new LabLan(d);
    for (const rec of await lan.devices()) lan.plug(rec);
    return lan;
  }

  async devices(): Promise<LanDeviceRecord[]> {
    const docs = await this.d.store.list<LanDeviceRecord>(this.d.labId, LAN_DEVICE_KIND);
    return docs.map((x) => x.doc).sort((a, b) => a.addedAt - b.addedAt);
  }

  /** Plugs a device holding `ip` into the LAN, or says why not. */
  async add(ip: unknown): Promise<AddDeviceResult> {
    const problem = deviceAddressProblem(ip, this.d.plan, await this.devices());
    if (problem) return { ok: false, code: /already/.test(problem) ? 'conflict' : 'invalid', message: `[lab] ${problem}` };
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

  /** Every device off the LAN and out of the store (a lab reset). */
  async clear(): Promise<void> {
    for (const d of await this.devices()) await this.d.store.remove(this.d.labId, LAN_DEVICE_KIND, d.ip);
    this.unplugAll();
  }

  /** Unplugs every device; the store keeps them for the next open. */
  close(): void {
    this.unplugAll();
  }

  private plug(rec: LanDeviceRecord): void {
    this.live.get(rec.ip)?.remove();
    this.live.set(rec.ip, new LanDevice(this.d.lan, `device ${rec.ip}`, { ip: rec.ip, mac: rec.mac }));
  }

  private unplugAll(): void {
    for (const dev of this.live.values()) dev.remove();
    this.live.clear();
  }
}
