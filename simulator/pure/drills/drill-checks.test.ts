import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDrill, PAGE_DRILL_IDS, pageDrillSchema, type DrillFacts, type DrillHostFacts } from './drill-checks';

const host = (over: Partial<DrillHostFacts> = {}): DrillHostFacts => ({
  name: 'edge-host-1', hostId: 'edge-1', poweredOn: true, cableUnplugged: false, usbInserted: false, smallDisk: false, refusal: null, registered: true,
  cluster: null, provisioningStep: null, fault: null, vip: null, vipClash: null, clockBehind: false, clock: null, clockDrift: null, ...over,
});
const facts = (hosts: DrillHostFacts[], validTokens = 1, damagedImages: string[] = []): DrillFacts => ({ hosts, validTokens, damagedImages, clusters: [], lanDevices: [], timeServer: null });
const HOST_DRILLS = PAGE_DRILL_IDS.filter((d) => d !== 'checksum' && d !== 'vip-clash' && d !== 'clock');
const VIP = '10.77.0.100';
const DEVICE = { ip: VIP, mac: '0e:a1:0a:4d:00:64' };

describe('drill checks (Check my work on the Troubleshooting page)', () => {
  it('passes every host drill once every host is registered and nothing is left broken', () => {
    for (const d of HOST_DRILLS) {
      const r = checkDrill(d, facts([host(), host({ name: 'edge-host-2', hostId: 'edge-2' })]));
      expect(r).toEqual({ passed: true, message: 'Fixed: edge-host-1, edge-host-2 are registered with Palette.' });
    }
  });

  it('names the cause a drill left behind before anything else', () => {
    expect(checkDrill('cable', facts([host({ cableUnplugged: true, registered: false })])).message).toMatch(/edge-host-1's network cable is still out: press "Plug the network cable back in"/);
    expect(checkDrill('stick', facts([host({ usbInserted: true })])).message).toMatch(/stick is still in edge-host-1.*Remove the stick/);
    expect(checkDrill('small-disk', facts([host({ smallDisk: true, poweredOn: false, registered: false })])).message).toBe('edge-host-1 still has the disk that is too small: power it off and press "Put the host\'s own disk back".');
    expect(checkDrill('duplicate-id', facts([host({ refusal: 'duplicate-host-id', registered: false })])).message).toMatch(/delete the host's old record in Edge Hosts/);
    expect(checkDrill('expired-token', facts([host({ refusal: 'token-expired', registered: false })])).message).toMatch(/Build the installer with the new token and reinstall edge-host-1/);
    expect(checkDrill('expired-token', facts([host()], 0))).toEqual({ passed: false, message: expect.stringMatching(/no registration token that has not expired/) });
  });

  it('with the cause gone, says what still keeps a host from registering', () => {
    expect(checkDrill('cable', facts([host({ poweredOn: false, registered: false })])).message).toBe('edge-host-1 is off: power it on from its disk and let its agent register.');
    expect(checkDrill('cable', facts([host({ registered: false })])).message).toMatch(/not registered with Palette yet/);
    // Another drill's refusal is still named, in Palette's code.
    expect(checkDrill('cable', facts([host({ refusal: 'token-unknown', registered: false })])).message).toMatch(/refuses edge-host-1 with token-unknown/);
    expect(checkDrill('stick', facts([]))).toEqual({ passed: false, message: 'This lab has no hosts to check.' });
  });

  it('passes exactly when every host is registered and free of the drill\'s cause', () => {
    const hostArb = fc.record({
      name: fc.constantFrom('edge-host-1', 'edge-host-2', 'edge-host-3'), hostId: fc.option(fc.string(), { nil: null }),
      poweredOn: fc.boolean(), cableUnplugged: fc.boolean(), usbInserted: fc.boolean(), smallDisk: fc.boolean(),
      refusal: fc.constantFrom(null, 'duplicate-host-id', 'token-expired', 'token-unknown'), registered: fc.boolean(),
      cluster: fc.constant(null), provisioningStep: fc.constant(null), fault: fc.constant(null), vip: fc.constant(null), vipClash: fc.constant(null),
      clockBehind: fc.constant(false), clock: fc.constant(null), clockDrift: fc.constant(null),
    });
    fc.assert(fc.property(fc.constantFrom(...HOST_DRILLS), fc.array(hostArb, { minLength: 1, maxLength: 4 }), fc.nat(2), (drill, hosts, tokens) => {
      const cause = (h: DrillHostFacts): boolean => ({
        cable: h.cableUnplugged, stick: h.usbInserted, 'small-disk': h.smallDisk, 'duplicate-id': h.refusal === 'duplicate-host-id', 'expired-token': tokens === 0 || h.refusal === 'token-expired', checksum: false, 'vip-clash': false, clock: false,
      })[drill];
      const r = checkDrill(drill, { hosts, validTokens: tokens, damagedImages: [], clusters: [], lanDevices: [], timeServer: null });
      expect(r.passed).toBe(hosts.every((h) => h.registered && !cause(h)));
      if (!r.passed) expect(r.message).toMatch(/edge-host-\d|token/);
    }));
  });

  it('passes the registry drill once every host of a cluster has the provider image written, and names what is left before', () => {
    const node = (over: Partial<DrillHostFacts> = {}) => host({ cluster: 'edge-1', provisioningStep: 'partition-switched', ...over });
    expect(checkDrill('checksum', facts([node(), node({ name: 'edge-host-2', provisioningStep: 'node-ready' }), host({ name: 'edge-host-3' })])))
      .toEqual({ passed: true, message: 'Fixed: edge-host-1, edge-host-2 have the provider image from the registry, checksum verified, written to their disk.' });
    // The registry's damage first, whatever the hosts did.
    expect(checkDrill('checksum', facts([node()], 1, ['edge-lab-provider'])).message)
      .toBe('The lab registry still serves a damaged copy of edge-lab-provider: press "Push the provider image again".');
    expect(checkDrill('checksum', facts([node({ provisioningStep: null, fault: 'image-checksum' })])).message).toMatch(/^edge-host-1's last download of the provider image failed its checksum/);
    expect(checkDrill('checksum', facts([node({ provisioningStep: 'image-pulled' })])).message).toMatch(/still downloading and writing the provider image/);
    expect(checkDrill('checksum', facts([node({ provisioningStep: null, fault: 'image-download' })])).message).toMatch(/failed with image-download/);
    expect(checkDrill('checksum', facts([node({ provisioningStep: null, poweredOn: false })])).message).toMatch(/^edge-host-1 is off/);
    expect(checkDrill('checksum', facts([host()]))).toEqual({ passed: false, message: expect.stringMatching(/^No host is in a cluster yet/) });
    // Before any cluster, the damage is still named first.
    expect(checkDrill('checksum', facts([host()], 1, ['edge-lab-provider'])).message).toMatch(/^The lab registry still serves a damaged copy of edge-lab-provider: .* No host is in a cluster yet/);
  });

  it('passes the registry drill exactly when the registry is whole and every node is past the image write', () => {
    const nodeArb = fc.record({
      name: fc.constantFrom('edge-host-1', 'edge-host-2'), cluster: fc.constantFrom(null, 'edge-1'),
      provisioningStep: fc.constantFrom(null, 'image-pulled', 'partition-switched', 'node-ready'),
      fault: fc.constantFrom(null, 'image-checksum'), poweredOn: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 3 }), fc.boolean(), (over, damaged) => {
      const hosts = over.map((o) => host(o as Partial<DrillHostFacts>));
      const r = checkDrill('checksum', facts(hosts, 1, damaged ? ['edge-lab-provider'] : []));
      const nodes = hosts.filter((h) => h.cluster !== null);
      const written = (h: DrillHostFacts) => h.provisioningStep === 'partition-switched' || h.provisioningStep === 'node-ready';
      expect(r.passed).toBe(!damaged && nodes.length > 0 && nodes.every((h) => h.fault !== 'image-checksum' && written(h)));
    }));
  });

  it('passes the VIP clash drill once every cluster VIP is held by a node and no device uses it, and names what is left before', () => {
    const node = (over: Partial<DrillHostFacts> = {}) => host({ cluster: 'edge-1', provisioningStep: 'node-ready', ...over });
    const withCluster = (hosts: DrillHostFacts[], lanDevices = [DEVICE]): DrillFacts => ({ ...facts(hosts), clusters: [{ name: 'edge-1', vip: VIP }], lanDevices });
    expect(checkDrill('vip-clash', withCluster([node({ vip: VIP })], [{ ip: '10.77.0.200', mac: '0e:a1:0a:4d:00:c8' }])))
      .toEqual({ passed: true, message: `Fixed: cluster edge-1's VIP ${VIP} is held by a node, and no other machine on the LAN answers for it.` });
    // The device first, whatever the node says.
    expect(checkDrill('vip-clash', withCluster([node({ vipClash: DEVICE.mac })])).message)
      .toBe(`A device on the LAN (${DEVICE.mac}) still uses ${VIP}, the VIP of cluster edge-1: take it off the LAN, or delete the cluster and create it again with a VIP nothing uses.`);
    expect(checkDrill('vip-clash', withCluster([node({ vipClash: DEVICE.mac })], [])).message).toMatch(/^edge-host-1's agent finds another machine \(0e:a1:0a:4d:00:64\) answering for the VIP/);
    expect(checkDrill('vip-clash', withCluster([node()], [])).message).toMatch(/^No node of cluster edge-1 holds its VIP 10\.77\.0\.100 yet/);
    expect(checkDrill('vip-clash', withCluster([node({ poweredOn: false })], [])).message).toBe('Every node of cluster edge-1 is off: power its control plane on.');
    expect(checkDrill('vip-clash', { ...facts([host()]), lanDevices: [DEVICE] }).message).toBe(`A device on the LAN (${DEVICE.mac}) uses ${VIP}. No cluster yet: create the cluster (Create cluster definition); its control plane holds the VIP once it is provisioned.`);
  });

  it('passes the VIP clash drill exactly when no device is on the VIP and a node holds it', () => {
    fc.assert(fc.property(fc.boolean(), fc.constantFrom(null, VIP), fc.constantFrom(null, DEVICE.mac), fc.boolean(), (deviceOnVip, vip, clash, on) => {
      const f: DrillFacts = { ...facts([host({ cluster: 'edge-1', vip, vipClash: clash, poweredOn: on })]), clusters: [{ name: 'edge-1', vip: VIP }], lanDevices: deviceOnVip ? [DEVICE] : [] };
      expect(checkDrill('vip-clash', f).passed).toBe(!deviceOnVip && vip === VIP);
    }));
  });

  it('passes the clock drill once the time server is on and every node that runs set its clock this boot, and names what is left before', () => {
    const SERVER = { ip: '10.77.0.123', on: true };
    const node = (over: Partial<DrillHostFacts> = {}) => host({ cluster: 'edge-lab-ha', provisioningStep: 'node-ready', clock: { synced: true, server: SERVER.ip, offsetS: 0.01 }, ...over });
    const f = (hosts: DrillHostFacts[], timeServer = SERVER): DrillFacts => ({ ...facts(hosts), timeServer });
    const skewed = node({ name: 'edge-host-2', clockBehind: true, clock: { synced: true, server: SERVER.ip, offsetS: -10800.2 } });
    expect(checkDrill('clock', f([node(), skewed, host({ name: 'edge-host-5' })]))).toEqual({
      passed: true,
      message: 'Fixed: edge-host-1, edge-host-2 set their clocks from NTP since they booted (edge-host-2\'s was 10800.2 s off). The hardware clock of edge-host-2 is still behind: every boot starts wrong until NTP sets it; set it right with the power off.',
    });
    // The time server first, whatever the nodes say.
    expect(checkDrill('clock', f([node(), skewed], { ...SERVER, on: false })).message).toBe('The site\'s time server (10.77.0.123) is switched off, so no node can set its clock: switch it on in the lab LAN.');
    const unsynced = node({ name: 'edge-host-2', clock: { synced: false, server: SERVER.ip }, clockDrift: null });
    expect(checkDrill('clock', f([node({ clockDrift: { peer: '10.77.0.12', drift: '3h0m0.5s' } }), unsynced])).message)
      .toBe('edge-host-2\'s clock has not been set since it booted: the NTP server 10.77.0.123 does not answer it. Make the time server reachable; its NTP client asks again every few seconds.');
    expect(checkDrill('clock', f([node({ clock: null, clockDrift: { peer: '10.77.0.12', drift: '3h0m0.5s' } })])).message)
      .toMatch(/^edge-host-1's clock has not been set from an NTP server since it booted yet\. etcd on edge-host-1 finds the clock of 10\.77\.0\.12 3h0m0\.5s off\./);
    expect(checkDrill('clock', f([node({ poweredOn: false, clock: null })])).message).toBe('edge-host-1 is off: power it on; its clock is checked once it runs.');
    expect(checkDrill('clock', f([host()])).message).toMatch(/^No host is in a cluster yet/);
  });

  it('passes the clock drill exactly when the time server is on and every node is on with a set clock', () => {
    fc.assert(fc.property(fc.boolean(), fc.array(fc.record({ on: fc.boolean(), synced: fc.constantFrom(null, true, false) }), { minLength: 1, maxLength: 4 }), (serverOn, over) => {
      const hosts = over.map((o, i) => host({
        name: `edge-host-${i + 1}`, cluster: 'c', poweredOn: o.on,
        clock: o.synced === null ? null : o.synced ? { synced: true, server: 's', offsetS: 0 } : { synced: false, server: 's' },
      }));
      const r = checkDrill('clock', { ...facts(hosts), timeServer: { ip: 's', on: serverOn } });
      expect(r.passed).toBe(serverOn && over.every((o) => o.on && o.synced === true));
    }));
  });

  it('refuses a drill it does not know, naming the ones it does', () => {
    const r = pageDrillSchema.safeParse('cabel');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('a drill is one of cable, stick, small-disk, duplicate-id, expired-token, checksum, vip-clash, clock');
  });
});
