import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceAddressProblem, deviceMac, MAX_LAN_DEVICES, type LanPlan } from './lan-devices';

const PLAN: LanPlan = { cidr: '10.77.0.0/24', hostAddresses: ['10.77.0.11', '10.77.0.12'] };

describe('deviceAddressProblem', () => {
  it('lets a device take a free address on the LAN', () => {
    expect(deviceAddressProblem('10.77.0.100', PLAN, [])).toBeNull();
  });

  it('names what is wrong with the address and what to give instead', () => {
    expect(deviceAddressProblem('nope', PLAN, [])?.message).toMatch(/^ip: "nope" is not an IPv4 address; give an address on the lab LAN 10\.77\.0\.0\/24/);
    expect(deviceAddressProblem(undefined, PLAN, [])?.message).toMatch(/^ip: null is not an IPv4 address/);
    expect(deviceAddressProblem('10.78.0.100', PLAN, [])).toMatchObject({ code: 'invalid', message: expect.stringMatching(/10\.78\.0\.100 is not on the lab LAN 10\.77\.0\.0\/24/) });
    expect(deviceAddressProblem('10.77.0.12', PLAN, [])).toMatchObject({ code: 'invalid', message: expect.stringMatching(/edge host's own address/) });
    expect(deviceAddressProblem('10.77.0.123', PLAN, [])).toMatchObject({ code: 'invalid', message: expect.stringMatching(/the site's time server/) });
    expect(deviceAddressProblem('10.77.0.100', PLAN, [{ ip: '10.77.0.100', mac: deviceMac('10.77.0.100'), addedAt: 1 }])).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already uses 10\.77\.0\.100; remove it first/) });
  });

  it(`refuses a ${MAX_LAN_DEVICES + 1}th device`, () => {
    const devices = Array.from({ length: MAX_LAN_DEVICES }, (_, i) => ({ ip: `10.77.0.${200 + i}`, mac: deviceMac(`10.77.0.${200 + i}`), addedAt: i }));
    expect(deviceAddressProblem('10.77.0.100', PLAN, devices)).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already has 4 other devices/) });
  });
});

describe('deviceMac', () => {
  it('is a locally administered unicast MAC, one per address', () => {
    fc.assert(fc.property(fc.ipV4(), fc.ipV4(), (a, b) => {
      const mac = deviceMac(a);
      expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      const first = parseInt(mac.slice(0, 2), 16);
      expect(first & 0b11).toBe(0b10);
      if (a !== b) expect(deviceMac(b)).not.toBe(mac);
    }));
  });
});
